package dev.otklik.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.store.Ticket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The sessions of one tenant on a node share their reads of ticket_event, and need none for
 * events whose rows came with their signals.
 */
class StreamSharedReadsTest {

  private static final int SOCKETS = 40;
  private static final int CHANGES = 30;

  @Test
  @DisplayName("forty sockets of one tenant each get every event, with far fewer range queries than one per socket and change")
  void socketsOfOneTenantShareRangeReads() throws Exception {
    try (StreamDesk desk = new StreamDesk(StreamOptions.DEFAULTS)) {
      desk.rowsInSignals = false;
      Ticket t = desk.ticket(desk.customer, "shared");
      List<StreamDesk.Client> clients = agentSockets(desk, SOCKETS, 1L);
      long before = desk.gateway.feed().rangeQueries();
      long last = 0;
      for (int i = 0; i < CHANGES; i++) {
        last = desk.comment(desk.agent, t, "change " + i, i % 3 == 0);
      }
      for (StreamDesk.Client c : clients) {
        List<JsonObject> events = c.eventsUntil(last);
        assertThat(events).extracting(e -> e.getLong("sequence"))
            .containsExactlyElementsOf(LongStream.rangeClosed(2, last).boxed().toList());
      }
      long queries = desk.gateway.feed().rangeQueries() - before;
      System.out.printf("shared reads: %d range queries for %d sockets x %d changes%n", queries, SOCKETS, CHANGES);
      assertThat(queries).as("range queries for %d sockets x %d changes", SOCKETS, CHANGES)
          .isLessThan((long) SOCKETS * CHANGES / 4);
    }
  }

  @Test
  @DisplayName("events whose rows come with their signals reach every socket without a range query, framed as the database has them")
  void rowsInSignalsNeedNoRangeRead() throws Exception {
    try (StreamDesk desk = new StreamDesk(StreamOptions.DEFAULTS)) {
      Ticket t = desk.ticket(desk.customer, "carried");
      desk.store.addComment(desk.tenant, desk.caller(desk.agent), t.number(), "before anyone listens", false).await();
      List<StreamDesk.Client> clients = agentSockets(desk, 10, 2L); // seen up to the comment: nothing to replay
      long before = desk.gateway.feed().rangeQueries();
      long last = 0;
      for (int i = 0; i < CHANGES; i++) {
        last = desk.comment(desk.agent, t, "change " + i, i % 3 == 0);
      }
      List<JsonObject> live = null;
      for (StreamDesk.Client c : clients) {
        live = c.eventsUntil(last);
        assertThat(live).extracting(e -> e.getLong("sequence"))
            .containsExactlyElementsOf(LongStream.rangeClosed(3, last).boxed().toList());
      }
      assertThat(desk.gateway.feed().rangeQueries() - before).as("range queries").isZero();
      // the same events read from ticket_event by a feed that holds nothing
      List<JsonObject> stored = new EventFeed(desk.tx).range(desk.tenant, 2, last, 100).await().stream()
          .map(e -> new JsonObject(e.frame())).toList();
      assertThat(live).isEqualTo(stored);
    }
  }

  /** {@code count} sockets of the desk's agent, subscribed to the queue after sequence {@code after}. */
  private static List<StreamDesk.Client> agentSockets(StreamDesk desk, int count, long after) throws Exception {
    String token = desk.token(desk.agent);
    List<StreamDesk.Client> clients = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StreamDesk.Client c = desk.connect(token);
      c.send(StreamDesk.subscribe("queue", after));
      c.next("subscribed");
      clients.add(c);
    }
    return clients;
  }
}
