package dev.otklik.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.store.TestPeople;
import dev.otklik.store.Ticket;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore;
import dev.otklik.store.WatcherStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Shared requests on the stream (V021): several organisations per customer, and watchers. */
class StreamSharedRequestsTest {

  @Test
  @DisplayName("a watcher's socket gets the watched request's public events, also after leaving its organisation, and nothing of its other requests; unwatched, nothing more")
  void watcherReceivesTheWatchedRequestsEvents() throws Exception {
    try (StreamDesk desk = new StreamDesk(StreamOptions.DEFAULTS)) {
      UserStore users = new UserStore(desk.tx);
      WatcherStore watchers = new WatcherStore(desk.tx, Clock.systemUTC());
      // Wanda belongs to the other organisation, and for a while also to the customer's
      UserAccount wanda = TestPeople.user(desk.tx, desk.tenant, Role.CUSTOMER, desk.otherOrg.id());
      users.setOrganisations(desk.tenant, wanda.id(), List.of(desk.otherOrg.id(), desk.org.id()), null,
          Clock.systemUTC()).await();
      Ticket watched = desk.ticket(desk.customer, "watched");
      Ticket other = desk.ticket(desk.customer, "not watched");
      desk.signal(watchers.add(desk.tenant, desk.caller(desk.customer), watched.number(), wanda.id()).await().change());
      users.setOrganisations(desk.tenant, wanda.id(), List.of(desk.otherOrg.id()), null, Clock.systemUTC()).await();
      UserAccount now = users.findById(desk.tenant, wanda.id()).await().orElseThrow();
      assertThat(now.organisationIds()).containsExactly(desk.otherOrg.id());

      StreamDesk.Client c = desk.connect(desk.token(now));
      c.next("welcome");
      c.send(StreamDesk.subscribe("mine", null));
      c.next("subscribed");
      desk.comment(desk.agent, other, "other request", false);
      desk.comment(desk.agent, watched, "internal", true);
      long answer = desk.comment(desk.agent, watched, "public answer", false);
      List<JsonObject> events = c.eventsUntil(answer);
      assertThat(events).singleElement().satisfies(e -> {
        assertThat(e.getString("ticket")).isEqualTo(watched.number());
        assertThat(e.getString("event")).isEqualTo("comment-added");
      });

      // by number: the watched request yes, the organisation's other request does not exist for her
      c.send(new JsonObject().put("type", "subscribe").put("subscriptions",
          new JsonArray().add(new JsonObject().put("scope", "ticket").put("number", other.number()))));
      assertThat(c.next("error").getString("code")).isEqualTo("ticket.not-found");
      c.send(new JsonObject().put("type", "subscribe").put("subscriptions", new JsonArray()
          .add(new JsonObject().put("scope", "ticket").put("number", watched.number()))
          .add(new JsonObject().put("scope", "mine"))));
      assertThat(c.next("subscribed").getJsonArray("subscriptions").getJsonObject(0).getString("number"))
          .isEqualTo(watched.number());

      // unwatched: later events of the request no longer reach her
      desk.signal(watchers.remove(desk.tenant, desk.caller(desk.customer), watched.number(), wanda.id()).await()
          .change());
      desk.comment(desk.agent, watched, "after unwatching", false);
      // a marker she does see: a request of her own organisation
      Ticket own = desk.ticket(desk.otherCustomer, "own organisation");
      JsonObject next = c.next("event");
      assertThat(next.getString("ticket")).as("nothing of the unwatched request, the next is her own organisation's")
          .isEqualTo(own.number());
    }
  }

  @Test
  @DisplayName("a customer of two organisations gets the public events of both organisations' requests on one socket")
  void customerOfTwoOrganisationsGetsBoth() throws Exception {
    try (StreamDesk desk = new StreamDesk(StreamOptions.DEFAULTS)) {
      UserStore users = new UserStore(desk.tx);
      users.setOrganisations(desk.tenant, desk.customer.id(), List.of(desk.org.id(), desk.otherOrg.id()), null,
          Clock.systemUTC()).await();
      UserAccount both = users.findById(desk.tenant, desk.customer.id()).await().orElseThrow();
      StreamDesk.Client c = desk.connect(desk.token(both));
      c.next("welcome");
      c.send(StreamDesk.subscribe("mine", null));
      c.next("subscribed");
      Ticket first = desk.ticket(desk.customer, "first organisation");
      Ticket second = desk.ticket(desk.otherCustomer, "second organisation");
      long last = desk.comment(desk.agent, second, "answer", false);
      assertThat(c.eventsUntil(last)).extracting(e -> e.getString("ticket"))
          .containsExactly(first.number(), second.number(), second.number());
      // the same customer's old token (first organisation only) does not widen
      StreamDesk.Client old = desk.connect(desk.token(desk.customer));
      old.next("welcome");
      old.send(StreamDesk.subscribe("mine", 0L));
      old.next("subscribed");
      long marker = desk.comment(desk.agent, first, "marker", false);
      assertThat(marker).isGreaterThan(last);
      assertThat(old.eventsUntil(marker).stream().map(e -> e.getString("ticket")).distinct().toList())
          .isEqualTo(List.of(first.number()));
      assertThat(Set.copyOf(both.organisationIds())).containsExactlyInAnyOrder(desk.org.id(), desk.otherOrg.id());
    }
  }
}
