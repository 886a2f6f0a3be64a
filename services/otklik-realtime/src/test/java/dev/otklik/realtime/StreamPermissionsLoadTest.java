package dev.otklik.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.store.Ticket;
import dev.otklik.store.TicketStore;
import dev.otklik.store.UserAccount;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Permissions while the node is busy: an agent of the same tenant, on the same node, floods the
 * tenant with internal notes and with changes to another organisation's requests (through the
 * store and through REST, from several threads at once) while customers of both organisations
 * are connected. Each customer must receive exactly the public events of their own
 * organisation's requests: nothing more, nothing less, in order.
 */
class StreamPermissionsLoadTest {

  private static final int THREADS = 4;
  private static final int OPERATIONS_PER_THREAD = 40;

  /** What one change was: its sequence, and whose customers may see it. */
  private record Made(long sequence, String ticket, boolean isPublic) {}

  @Test
  @DisplayName("under concurrent internal notes and other-organisation changes, each customer socket receives exactly its organisation's public events")
  void customersReceiveExactlyTheirPublicEventsUnderLoad() throws Exception {
    try (StreamDesk desk = new StreamDesk(StreamOptions.DEFAULTS)) {
      StreamDesk.Client customer = desk.connect(desk.token(desk.customer));
      customer.next("welcome");
      customer.send(StreamDesk.subscribe("mine", 0L));
      customer.next("subscribed");
      StreamDesk.Client otherCustomer = desk.connect(desk.token(desk.otherCustomer));
      otherCustomer.next("welcome");
      otherCustomer.send(StreamDesk.subscribe("mine", 0L));
      otherCustomer.next("subscribed");
      String agentToken = desk.token(desk.agent);
      StreamDesk.Client agent = desk.connect(agentToken);
      agent.next("welcome");
      agent.send(StreamDesk.subscribe("queue", 0L));
      agent.next("subscribed");

      List<Made> made = new ArrayList<>();
      List<Ticket> mine = new ArrayList<>();
      List<Ticket> theirs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        mine.add(create(desk, desk.customer, "mine " + i, made));
        theirs.add(create(desk, desk.otherCustomer, "theirs " + i, made));
      }
      Set<String> mineNumbers = ConcurrentHashMap.newKeySet();
      mine.forEach(t -> mineNumbers.add(t.number()));

      List<Made> concurrent = java.util.Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> work = new ArrayList<>();
      for (int w = 0; w < THREADS; w++) {
        work.add(pool.submit(() -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
            Ticket own = mine.get(random.nextInt(mine.size()));
            Ticket other = theirs.get(random.nextInt(theirs.size()));
            switch (random.nextInt(6)) {
              // internal note on the customer's own request, through the store
              case 0 -> concurrent.add(made(desk, desk.agent, own, "internal " + i, true));
              // internal note through REST (TicketHandler publishes the signal)
              case 1 -> rest(desk, agentToken, own, "internal via REST " + i, true);
              // public and internal changes on the other organisation's requests
              case 2 -> concurrent.add(made(desk, desk.agent, other, "to the other org " + i, false));
              case 3 -> concurrent.add(made(desk, desk.otherCustomer, other, "other customer " + i, false));
              case 4 -> rest(desk, agentToken, other, "other org internal via REST " + i, true);
              // now and then a public answer the customer must get
              default -> concurrent.add(made(desk, desk.agent, own, "public answer " + i, false));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      made.addAll(concurrent);
      // A last public answer on each side: once it arrives, everything before it has been handled.
      Made lastMine = made(desk, desk.agent, mine.get(0), "last for the customer", false);
      Made lastTheirs = made(desk, desk.agent, theirs.get(0), "last for the other customer", false);
      made.add(lastMine);
      made.add(lastTheirs);
      long end = Math.max(lastMine.sequence(), lastTheirs.sequence());

      List<JsonObject> all = agent.eventsUntil(end);
      assertThat(all).extracting(e -> e.getLong("sequence"))
          .as("the agent's queue: every event of the tenant, in order")
          .containsExactlyElementsOf(LongStream.rangeClosed(1, end).boxed().toList());
      assertThat(all).filteredOn(e -> !e.getBoolean("public")).as("internal notes were made").hasSizeGreaterThan(10);

      List<JsonObject> received = customer.eventsUntil(lastMine.sequence());
      Set<Long> expected = new TreeSet<>();
      made.stream().filter(m -> m.isPublic() && mineNumbers.contains(m.ticket())).forEach(m -> expected.add(m.sequence()));
      assertThat(received).extracting(e -> e.getLong("sequence")).as("the customer's events")
          .containsExactlyElementsOf(expected);
      assertThat(received).allSatisfy(e -> {
        assertThat(e.getBoolean("public")).isTrue();
        assertThat(mineNumbers).contains(e.getString("ticket"));
      });

      List<JsonObject> receivedOther = otherCustomer.eventsUntil(lastTheirs.sequence());
      Set<Long> expectedOther = new TreeSet<>();
      made.stream().filter(m -> m.isPublic() && !mineNumbers.contains(m.ticket()))
          .forEach(m -> expectedOther.add(m.sequence()));
      assertThat(receivedOther).extracting(e -> e.getLong("sequence")).as("the other customer's events")
          .containsExactlyElementsOf(expectedOther);

      // Nothing else is queued for the customers after their last expected event.
      Thread.sleep(300);
      assertThat(customer.frames).noneMatch(f -> "event".equals(f.getString("type")));
      assertThat(otherCustomer.frames).noneMatch(f -> "event".equals(f.getString("type")));
    }
  }

  private static Ticket create(StreamDesk desk, UserAccount owner, String subject, List<Made> made) {
    var t = new TicketStore.NewTicket("TST", ZoneId.of("Europe/Moscow"), "portal", null, null, null, null, null,
        subject, "details", null, owner.organisationId(), owner.id(), null, null, null);
    TicketStore.Change<Ticket> change = desk.signal(desk.store.create(desk.tenant, desk.caller(owner), t).await());
    made.add(new Made(change.sequence(), change.value().number(), change.isPublic()));
    return change.value();
  }

  private static Made made(StreamDesk desk, UserAccount by, Ticket t, String body, boolean internal) {
    var change = desk.signal(desk.store.addComment(desk.tenant, desk.caller(by), t.number(), body, internal).await());
    return new Made(change.sequence(), t.number(), change.isPublic());
  }

  private static void rest(StreamDesk desk, String token, Ticket t, String body, boolean internal) {
    var response = desk.http.post("/api/v1/tenants/" + desk.tenant + "/requests/" + t.number() + "/comments")
        .putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("body", body).put("internal", internal)).await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
  }
}
