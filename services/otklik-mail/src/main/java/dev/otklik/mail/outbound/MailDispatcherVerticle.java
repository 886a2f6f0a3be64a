package dev.otklik.mail.outbound;

import dev.otklik.mail.TenantMail;
import dev.otklik.store.MailStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailAttachment;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the mail outbox (V011). Every {@code interval}, for each tenant in one transaction,
 * claims due rows with {@code FOR UPDATE SKIP LOCKED} and a lease, plans each
 * ({@link NotificationPlanner}), composes it with the row's id as the Message-ID's local part (a
 * resend after a crash carries the same Message-ID), sends it over SMTP and records the result.
 * While SMTP is down a row is retried with exponential backoff ({@link Options#firstRetry} doubling
 * up to {@link Options#maxRetry}) and given up after {@link Options#maxAttempts}. Runs on an event
 * loop; nothing here blocks.
 */
public final class MailDispatcherVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MailDispatcherVerticle.class);

  /** Timing and batch settings. */
  public record Options(Duration interval, int batchSize, Duration lease, Duration firstRetry, Duration maxRetry,
      int maxAttempts) {

    public static final Options DEFAULTS = new Options(Duration.ofSeconds(2), 50, Duration.ofMinutes(2),
        Duration.ofSeconds(10), Duration.ofMinutes(30), 50);

    public Options withInterval(Duration interval) {
      return new Options(interval, batchSize, lease, firstRetry, maxRetry, maxAttempts);
    }

    public Options withRetries(Duration first, Duration max) {
      return new Options(interval, batchSize, lease, first, max, maxAttempts);
    }
  }

  private final MailStore store;
  private final Supplier<List<String>> tenantIds;
  private final Function<String, Optional<TenantMail>> tenants;
  private final Function<io.vertx.core.Vertx, SmtpSender> senderFactory;
  private final Options options;
  private final AtomicBoolean running = new AtomicBoolean();
  private SmtpSender sender;
  private NotificationPlanner planner;
  private long timer = -1;

  public MailDispatcherVerticle(MailStore store, Supplier<List<String>> tenantIds,
      Function<String, Optional<TenantMail>> tenants, Function<io.vertx.core.Vertx, SmtpSender> senderFactory,
      Options options) {
    this.store = store;
    this.tenantIds = tenantIds;
    this.tenants = tenants;
    this.senderFactory = senderFactory;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    sender = senderFactory.apply(vertx);
    planner = new NotificationPlanner(store);
    if (!options.interval().isZero()) {
      timer = vertx.setPeriodic(options.interval().toMillis(), id -> {
        if (running.compareAndSet(false, true)) {
          dispatchOnce().onComplete(r -> running.set(false));
        }
      });
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return sender == null ? Future.succeededFuture() : sender.close();
  }

  /** One pass over every tenant; completes with the number of mails sent. Never fails. */
  public Future<Integer> dispatchOnce() {
    Future<Integer> chain = Future.succeededFuture(0);
    for (String tenantId : tenantIds.get()) {
      Optional<TenantMail> tenant = tenants.apply(tenantId);
      if (tenant.isEmpty()) {
        continue;
      }
      chain = chain.compose(n -> dispatchTenant(tenant.get()).map(m -> n + m)
          .recover(e -> {
            LOG.warn("Mail dispatch for tenant {} failed: {}", tenantId, e.toString());
            return Future.succeededFuture(n);
          }));
    }
    return chain;
  }

  private Future<Integer> dispatchTenant(TenantMail tenant) {
    return store.claimDue(tenant.tenantId(), options.batchSize(), options.lease()).compose(rows -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (MailStore.Outgoing row : rows) {
        chain = chain.compose(n -> deliver(tenant, row).map(sent -> sent ? n + 1 : n));
      }
      return chain;
    });
  }

  private Future<Boolean> deliver(TenantMail tenant, MailStore.Outgoing row) {
    String tenantId = tenant.tenantId();
    return planner.plan(tenant, row)
        .compose(plan -> {
          if (plan.skipped()) {
            Future<Void> notice = plan.noticeId() == null ? Future.succeededFuture()
                : store.noticeDelivered(tenantId, plan.noticeId(), plan.noticeUser(), "failed");
            return notice.compose(ok -> store.markSkipped(tenantId, row.id(), plan.skipReason())).map(false);
          }
          ComposedMail composed = new MailComposer(row::id).compose(plan.mail());
          Future<ComposedMail> ready = plan.attachRawOf() == null ? Future.succeededFuture(composed)
              : store.inboundRaw(tenantId, plan.attachRawOf()).map(raw -> {
                raw.ifPresent(bytes -> composed.message().setAttachment(List.of(MailAttachment.create()
                    .setData(Buffer.buffer(bytes)).setContentType("message/rfc822").setName("original.eml"))));
                return composed;
              });
          List<String> recipients = plan.mail().to().stream().map(a -> a.asciiAddress()).toList();
          return ready.compose(sender::send)
              .compose(messageId -> store.markSent(tenantId, row.id(), messageId, recipients)
                  .compose(ok -> plan.noticeId() == null ? Future.<Void>succeededFuture()
                      : store.noticeDelivered(tenantId, plan.noticeId(), plan.noticeUser(), "sent"))
                  .map(true))
              .recover(e -> retry(tenantId, row, e).map(false));
        })
        .recover(e -> retry(tenantId, row, e).map(false));
  }

  private Future<Void> retry(String tenantId, MailStore.Outgoing row, Throwable e) {
    boolean giveUp = row.attempts() >= options.maxAttempts()
        || e instanceof IllegalArgumentException; // an unsendable mail (a bad template or address) stays unsendable
    long factor = 1L << Math.min(20, Math.max(0, row.attempts() - 1));
    Duration wait = options.firstRetry().multipliedBy(factor);
    if (wait.compareTo(options.maxRetry()) > 0) {
      wait = options.maxRetry();
    }
    LOG.info("Mail {} of tenant {} not sent (attempt {}): {}; {}", row.id(), tenantId, row.attempts(), e.toString(),
        giveUp ? "giving up" : "retrying in " + wait);
    Future<Void> marked = store.markRetry(tenantId, row.id(), e.toString(), OffsetDateTime.now(store.clock())
        .withOffsetSameInstant(ZoneOffset.UTC).plus(wait), giveUp);
    if (giveUp && "mass-notice".equals(row.kind())) {
      return marked.compose(ok -> store.noticeDelivered(tenantId,
          java.util.UUID.fromString(row.payload().getString("noticeId")),
          java.util.UUID.fromString(row.payload().getString("userId")), "failed"));
    }
    return marked;
  }
}
