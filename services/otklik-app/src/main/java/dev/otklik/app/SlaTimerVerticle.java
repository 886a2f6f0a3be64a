package dev.otklik.app;

import dev.otklik.core.EventBusAddresses;
import dev.otklik.core.sla.SlaClocks;
import dev.otklik.core.tenant.TaxonomyItem;
import dev.otklik.core.time.DeadlineCalculator;
import dev.otklik.store.TicketStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due SLA timers (DESIGN.md, "How data flows" 5). On start and then every {@code interval}
 * it goes through the tenants the node's registry knows and, per tenant, lets
 * {@link TicketStore#fireDueTimers} claim and fire due rows in batches until none is left. Every
 * node runs one; {@code FOR UPDATE SKIP LOCKED} in the store makes each timer fire once across
 * the cluster, and a timer that fell due while no node ran fires in the first round. After each
 * commit it publishes the usual event signal for the realtime gateways. A round never overlaps
 * the previous one; a failing tenant is logged and retried next round.
 */
public final class SlaTimerVerticle extends VerticleBase {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  private static final int BATCH = 50;
  private static final Logger LOG = LoggerFactory.getLogger(SlaTimerVerticle.class);

  private final Supplier<Collection<String>> tenantIds;
  private final TicketStore store;
  private final Duration interval;
  private final Function<String, SlaClocks> clocks;
  private final String claimer = "node-" + UUID.randomUUID();
  private long periodic = -1;
  private boolean running;

  public SlaTimerVerticle(Supplier<Collection<String>> tenantIds, TicketStore store, Duration interval) {
    this(tenantIds, store, interval, tenantId -> null);
  }

  /**
   * With each tenant's SLA clocks and workflow timers ({@code clocks}: null for a tenant without
   * them), so a workflow timer that closes or accepts a request stops its clocks as a person would.
   */
  public SlaTimerVerticle(Supplier<Collection<String>> tenantIds, TicketStore store, Duration interval,
      Function<String, SlaClocks> clocks) {
    this.tenantIds = Objects.requireNonNull(tenantIds, "tenantIds");
    this.store = Objects.requireNonNull(store, "store");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.clocks = Objects.requireNonNull(clocks, "clocks");
  }

  /** The tenant's SLA clocks with its workflow timers, from a registry; null when it has no typed config or calendar. */
  public static SlaClocks clocksOf(String tenantId, TenantRegistrySource tenants) {
    var config = tenants.tenant(tenantId);
    var calendar = tenants.calendar(tenantId);
    if (config.isEmpty() || calendar.isEmpty()) {
      return null;
    }
    return new SlaClocks(config.get().sla(), new DeadlineCalculator(calendar.get(), config.get().releases()),
        config.get().workflow().timers(),
        config.get().taxonomy().priorities().stream().map(TaxonomyItem::id).toList());
  }

  @Override
  public Future<?> start() {
    periodic = vertx.setPeriodic(interval.toMillis(), id -> round());
    round();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(periodic);
    return Future.succeededFuture();
  }

  /** One pass over every tenant; returns when all are drained (or failed). */
  Future<Void> round() {
    if (running) {
      return Future.succeededFuture();
    }
    running = true;
    List<Future<Void>> all = new ArrayList<>();
    for (String tenantId : tenantIds.get()) {
      all.add(drain(tenantId).recover(e -> {
        LOG.error("SLA timers of tenant {} could not fire: {}", tenantId, e.getMessage(), e);
        return Future.succeededFuture();
      }));
    }
    return Future.join(all).<Void>mapEmpty().onComplete(ar -> running = false);
  }

  private Future<Void> drain(String tenantId) {
    return store.fireDueTimers(tenantId, claimer, BATCH, clocks.apply(tenantId)).compose(fired -> {
      for (TicketStore.FiredTimer f : fired) {
        if (f.sequence() != null) {
          vertx.eventBus().publish(EventBusAddresses.tenantEvents(tenantId), new JsonObject()
              .put("sequence", f.sequence()).put("type", f.eventType()).put("public", f.isPublic()));
        }
      }
      return fired.size() < BATCH ? Future.succeededFuture() : drain(tenantId);
    });
  }
}
