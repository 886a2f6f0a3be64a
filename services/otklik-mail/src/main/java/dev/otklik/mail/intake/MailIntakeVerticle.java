package dev.otklik.mail.intake;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.search.FlagTerm;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls each tenant's support mailbox over IMAP (Angus Mail, on worker threads: never on an
 * event loop) and feeds the messages to {@link MailIntake}; also processes messages recorded
 * earlier but not yet processed (an HTTP delivery whose processing failed, an admin's retry).
 *
 * <p>Nothing is lost: messages are read with {@code BODY.PEEK} (not marked seen), and a message
 * is flagged seen and deleted only after its outcome committed (request, comment, answer or
 * quarantine). A node dying between fetch and commit leaves the message unseen in the mailbox;
 * the next poll fetches it again, and the dedup key makes that delivery process the message once.
 */
public final class MailIntakeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MailIntakeVerticle.class);
  private static final int MAX_PER_POLL = 50;
  /** A poll stops fetching once this many bytes are in memory (always at least one message). */
  private static final long MAX_BYTES_PER_POLL = 64L * 1024 * 1024;

  /** One tenant's mailbox. */
  public record Mailbox(String host, int port, boolean ssl, String user, String password, String folder) {

    @Override
    public String toString() {
      return "Mailbox[" + user + "@" + host + ":" + port + "/" + folder + "]";
    }
  }

  private final MailIntake intake;
  private final Supplier<List<String>> tenantIds;
  private final Function<String, Optional<Mailbox>> mailboxes;
  private final Duration interval;
  private final AtomicBoolean running = new AtomicBoolean();
  private long timer = -1;

  public MailIntakeVerticle(MailIntake intake, Supplier<List<String>> tenantIds,
      Function<String, Optional<Mailbox>> mailboxes, Duration interval) {
    this.intake = intake;
    this.tenantIds = tenantIds;
    this.mailboxes = mailboxes;
    this.interval = interval;
  }

  @Override
  public Future<?> start() {
    if (!interval.isZero()) {
      timer = vertx.setPeriodic(interval.toMillis(), id -> {
        if (running.compareAndSet(false, true)) {
          pollOnce().onComplete(r -> running.set(false));
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
    return Future.succeededFuture();
  }

  /** One pass over every tenant; completes with how many messages reached an outcome. Never fails. */
  public Future<Integer> pollOnce() {
    Future<Integer> chain = Future.succeededFuture(0);
    for (String tenantId : tenantIds.get()) {
      chain = chain.compose(n -> intake.processPending(tenantId)
          .compose(p -> mailboxes.apply(tenantId).map(mb -> poll(tenantId, mb)).orElse(Future.succeededFuture(0))
              .map(m -> n + p + m))
          .recover(e -> {
            LOG.warn("Mail intake for tenant {} failed: {}", tenantId, e.toString());
            return Future.succeededFuture(n);
          }));
    }
    return chain;
  }

  private record Fetched(long uid, byte[] raw) {}

  private Future<Integer> poll(String tenantId, Mailbox mailbox) {
    return vertx.executeBlocking(() -> fetchUnseen(mailbox), false).compose(messages -> {
      List<Long> done = new ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (Fetched f : messages) {
        chain = chain.compose(ok -> intake.receive(tenantId, f.raw(), "imap")
            .map(r -> {
              if (!"received".equals(r.state())) {
                done.add(f.uid());
              }
              return (Void) null;
            })
            .recover(e -> {
              // not committed: leave it unseen in the mailbox for the next poll
              LOG.warn("Mail {} of tenant {} not processed: {}", f.uid(), tenantId, e.toString());
              return Future.succeededFuture();
            }));
      }
      return chain.compose(ok -> done.isEmpty() ? Future.succeededFuture(0)
          : vertx.executeBlocking(() -> markDone(mailbox, done), false));
    });
  }

  private static Session session(Mailbox mailbox) {
    Properties p = new Properties();
    String proto = mailbox.ssl() ? "imaps" : "imap";
    p.setProperty("mail.store.protocol", proto);
    p.setProperty("mail." + proto + ".peek", "true");
    p.setProperty("mail." + proto + ".connectiontimeout", "15000");
    p.setProperty("mail." + proto + ".timeout", "60000");
    return Session.getInstance(p);
  }

  private static List<Fetched> fetchUnseen(Mailbox mailbox) throws Exception {
    Session session = session(mailbox);
    try (Store store = session.getStore()) {
      store.connect(mailbox.host(), mailbox.port(), mailbox.user(), mailbox.password());
      Folder folder = store.getFolder(mailbox.folder());
      folder.open(Folder.READ_ONLY);
      try {
        Message[] unseen = folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
        List<Fetched> out = new ArrayList<>();
        long bytesSoFar = 0;
        for (Message m : unseen) {
          if (out.size() >= MAX_PER_POLL
              || (!out.isEmpty() && bytesSoFar + Math.max(0, m.getSize()) > MAX_BYTES_PER_POLL)) {
            break; // the rest waits for the next poll
          }
          if (m.isSet(Flags.Flag.DELETED)) {
            continue;
          }
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          m.writeTo(bytes);
          bytesSoFar += bytes.size();
          out.add(new Fetched(((UIDFolder) folder).getUID(m), bytes.toByteArray()));
        }
        return out;
      } finally {
        folder.close(false);
      }
    }
  }

  private static int markDone(Mailbox mailbox, List<Long> uids) throws Exception {
    Session session = session(mailbox);
    try (Store store = session.getStore()) {
      store.connect(mailbox.host(), mailbox.port(), mailbox.user(), mailbox.password());
      Folder folder = store.getFolder(mailbox.folder());
      folder.open(Folder.READ_WRITE);
      int n = 0;
      try {
        long[] ids = uids.stream().mapToLong(Long::longValue).toArray();
        for (Message m : ((UIDFolder) folder).getMessagesByUID(ids)) {
          if (m != null) {
            m.setFlag(Flags.Flag.SEEN, true);
            m.setFlag(Flags.Flag.DELETED, true);
            n++;
          }
        }
      } finally {
        folder.close(true); // expunge: the raw message is kept in PostgreSQL
      }
      return n;
    }
  }
}
