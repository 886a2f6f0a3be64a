package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.store.PgPools;
import dev.otklik.store.SlaDesk;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.TicketStore;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two timer nodes, each its own Vert.x instance with its own connection pool, on one PostgreSQL.
 * One is killed (its Vert.x closed under it, so its open transaction dies with its connections)
 * while timers are still due; the other fires the rest.
 */
class SlaTimerFailoverTest {

  static final int REQUESTS = 120;

  @Test
  @DisplayName("two nodes fire 120 due breach timers; one is killed mid-way; every timer fires exactly once, one breach event per request")
  void killedNodeLosesNoTimerAndFiresNoneTwice() throws Exception {
    SlaDesk desk = new SlaDesk(TestDatabase.transactions());
    List<UUID> tickets = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      tickets.add(desk.file().id());
    }
    desk.clock.advance(Duration.ofDays(2)); // every request's triage deadline has passed

    Vertx nodeA = Vertx.vertx();
    Vertx nodeB = Vertx.vertx();
    try {
      deployTimers(nodeA, desk);
      // Wait until node A is under way, then kill it while timers are still due.
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (fired(desk.tenantId) == 0 && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      deployTimers(nodeB, desk);
      nodeA.close(); // not awaited: an abrupt stop, in-flight transactions roll back
      assertThat(fired(desk.tenantId)).as("node A was killed before the timers were done").isLessThan(REQUESTS);

      until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (fired(desk.tenantId) < REQUESTS && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      assertThat(fired(desk.tenantId)).isEqualTo(REQUESTS);
      Thread.sleep(500); // further rounds of node B find nothing more to fire

      Map<UUID, Integer> breaches = breachEvents(desk.tenantId);
      assertThat(breaches.keySet()).containsExactlyInAnyOrderElementsOf(tickets);
      assertThat(breaches.values()).allMatch(n -> n == 1);
      assertThat(claimers(desk.tenantId)).as("both nodes fired some").isEqualTo(2);
    } finally {
      nodeB.close().await();
    }
  }

  static void deployTimers(Vertx node, SlaDesk desk) {
    TicketStore store = new TicketStore(
        new TenantTransactions(PgPools.create(node, TestDatabase.endpoint(), 2)), desk.clock);
    node.deployVerticle(new SlaTimerVerticle(() -> List.of(desk.tenantId), store, Duration.ofMillis(20))).await();
  }

  static long fired(String tenantId) throws Exception {
    return count("SELECT count(*) FROM sla_timer WHERE tenant_id = ? AND fired_at IS NOT NULL", tenantId);
  }

  static long claimers(String tenantId) throws Exception {
    return count("SELECT count(DISTINCT claimed_by) FROM sla_timer WHERE tenant_id = ? AND fired_at IS NOT NULL",
        tenantId);
  }

  static long count(String sql, String tenantId) throws Exception {
    try (Connection c = TestDatabase.superuserConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static Map<UUID, Integer> breachEvents(String tenantId) throws Exception {
    Map<UUID, Integer> out = new HashMap<>();
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT ticket_id FROM ticket_event WHERE tenant_id = ? AND type = 'sla-breached'")) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.merge(rs.getObject(1, UUID.class), 1, Integer::sum);
        }
      }
    }
    return out;
  }
}
