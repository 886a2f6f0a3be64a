package dev.otklik.tenant;

import dev.otklik.core.EventBusAddresses;
import dev.otklik.core.tenant.TenantConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants in force on this node, loaded from a tenant-config directory and reloaded when
 * its files change.
 *
 * <p>Reads ({@link #get}, {@link #all}, {@link #snapshot}) are lock-free and safe from any
 * thread, event loops included: they read an immutable {@link TenantSnapshot} that a reload
 * replaces as a whole. Loading runs on one worker thread of its own, never on an event loop, so
 * reloads never overlap.
 *
 * <p>At startup every file must be valid ({@link #loadInitial}). Later a file that fails is
 * refused, logged, and its tenant keeps its last good version; a reload that changed anything
 * or refused a file is published on {@link EventBusAddresses#TENANTS_RELOADED} as
 * {@link ReloadReport#toJson()}.
 */
public final class TenantRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(TenantRegistry.class);

  private final Vertx vertx;
  private final ConfigDirectory directory;
  private final SnapshotBuilder builder;
  private final WorkerExecutor loadingThread;
  private final AtomicBoolean pollRunning = new AtomicBoolean();

  private volatile TenantSnapshot snapshot = TenantSnapshot.EMPTY;
  // Touched only on the loading thread: the directory as last read, to skip unchanged polls.
  private String lastFingerprint = "";
  private volatile long watchTimer = -1;

  /**
   * @param configDir the tenant-config directory: {@code <id>.yaml} files, {@code calendars/},
   *     {@code logos/}
   */
  public TenantRegistry(Vertx vertx, Path configDir) {
    this.vertx = vertx;
    this.directory = new ConfigDirectory(configDir);
    this.builder = new SnapshotBuilder(new TenantConfigLoader(configDir));
    this.loadingThread = vertx.createSharedWorkerExecutor("otklik-tenant-loader-" + System.identityHashCode(this), 1);
  }

  /**
   * Loads every file. Fails, with every problem of every file in one
   * {@link TenantConfigRejectedException}, if any file is invalid: a node must not start with a
   * configuration it cannot fully read.
   */
  public Future<TenantSnapshot> loadInitial() {
    return loadingThread.executeBlocking(() -> {
      ConfigDirectory.Contents contents = directory.read();
      SnapshotBuilder.Result result = builder.build(TenantSnapshot.EMPTY, contents);
      List<TenantConfigException> problems = new ArrayList<>();
      result.report().refused().forEach(file -> problems.addAll(file.problems()));
      if (!problems.isEmpty()) {
        throw new TenantConfigRejectedException(problems);
      }
      lastFingerprint = contents.fingerprint();
      snapshot = result.snapshot();
      LOG.info("Loaded tenants {} from {}", snapshot.tenants().keySet(), directory.root());
      return snapshot;
    }, false);
  }

  /** Reads the directory again and applies what changed; see {@link ReloadReport}. */
  public Future<ReloadReport> reload() {
    return loadingThread.executeBlocking(() -> apply(directory.read()), false).onSuccess(this::announce);
  }

  /**
   * Polls the directory every {@code interval} and reloads when a file was added, removed or
   * changed (compared by content, so a rewrite within the same second is seen). Replaces any
   * earlier watch.
   */
  public void startWatching(Duration interval) {
    stopWatching();
    watchTimer = vertx.setPeriodic(interval.toMillis(), id -> poll());
  }

  public void stopWatching() {
    long timer = watchTimer;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      watchTimer = -1;
    }
  }

  /** Stops watching and releases the loading thread. */
  public Future<Void> close() {
    stopWatching();
    return loadingThread.close();
  }

  public Optional<TenantConfig> get(String tenantId) {
    return snapshot.tenant(tenantId);
  }

  /** Every tenant in force, by id (disabled ones included: they are loaded but hidden). */
  public Map<String, TenantConfig> all() {
    return snapshot.configs();
  }

  /** The tenants and calendars in force, with versions. */
  public TenantSnapshot snapshot() {
    return snapshot;
  }

  // A slow reload must not queue up polls behind it.
  private void poll() {
    if (!pollRunning.compareAndSet(false, true)) {
      return;
    }
    loadingThread.executeBlocking(() -> {
      ConfigDirectory.Contents contents = directory.read();
      return contents.fingerprint().equals(lastFingerprint) ? ReloadReport.NOTHING : apply(contents);
    }, false)
        .onSuccess(this::announce)
        .onFailure(e -> LOG.warn("Tenant config poll of {} failed; keeping the tenants in force", directory.root(), e))
        .onComplete(done -> pollRunning.set(false));
  }

  /** Runs on the loading thread. */
  private ReloadReport apply(ConfigDirectory.Contents contents) {
    SnapshotBuilder.Result result = builder.build(snapshot, contents);
    lastFingerprint = contents.fingerprint();
    snapshot = result.snapshot();
    return result.report();
  }

  private void announce(ReloadReport report) {
    if (report.isEmpty()) {
      return;
    }
    report.refused().forEach(file -> file.problems().forEach(problem -> LOG.atWarn()
        .addKeyValue("file", problem.file())
        .addKeyValue("path", problem.path())
        .addKeyValue("reason", problem.reason())
        .log("Tenant config refused: {}", problem.getMessage())));
    if (!report.added().isEmpty() || !report.changed().isEmpty() || !report.removed().isEmpty()) {
      LOG.info("Tenant config reloaded: added {}, changed {}, removed {}", report.added(), report.changed(), report.removed());
    }
    vertx.eventBus().publish(EventBusAddresses.TENANTS_RELOADED, report.toJson());
  }
}
