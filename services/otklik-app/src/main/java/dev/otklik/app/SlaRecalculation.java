package dev.otklik.app;

import dev.otklik.core.sla.SlaClocks;
import dev.otklik.store.TicketStore;
import io.vertx.core.Future;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recalculates a tenant's open deadlines when its config version changes (DESIGN.md: SLA figures
 * from the new matrix and calendar, start instants unchanged, pauses kept): hooked to
 * {@link TenantRegistrySource#onConfigChanged}, it runs {@link TicketStore#recalculateDeadlines}
 * in transactions of {@link #BATCH} requests. Reactive SQL all the way, so it runs on the event
 * loop. Every node reacts to its own reload; the store skips requests another node already
 * recalculated, so each request gets one {@code sla-recalculated} event.
 */
final class SlaRecalculation {

  static final int BATCH = 500;
  private static final Logger LOG = LoggerFactory.getLogger(SlaRecalculation.class);

  private final TenantRegistrySource tenants;
  private final TicketStore store;

  SlaRecalculation(TenantRegistrySource tenants, TicketStore store) {
    this.tenants = Objects.requireNonNull(tenants, "tenants");
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Registers itself with the registry source; returns this. */
  SlaRecalculation install() {
    tenants.onConfigChanged(this::recalculate);
    return this;
  }

  /** Recalculates one tenant; the number of requests whose deadlines were recalculated. */
  Future<Integer> recalculate(String tenantId) {
    SlaClocks sla = SlaTimerVerticle.clocksOf(tenantId, tenants);
    if (sla == null) {
      return Future.succeededFuture(0);
    }
    return store.recalculateDeadlines(tenantId, sla, BATCH)
        .onSuccess(n -> LOG.info("Tenant {}: deadlines of {} open requests recalculated for SLA {}", tenantId, n,
            sla.policy().version()));
  }
}
