package dev.otklik.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otklik.api.auth.AccessTokens;
import dev.otklik.api.auth.JwtKeys;
import dev.otklik.core.EventBusAddresses;
import dev.otklik.core.auth.Role;
import dev.otklik.store.TestPeople;
import dev.otklik.store.TestTenants;
import dev.otklik.store.Ticket;
import dev.otklik.store.UserAccount;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The stream over real WebSockets against the real embedded PostgreSQL and the real TicketStore/REST. */
class StreamGatewayTest {

  static final StreamOptions OPTIONS = StreamOptions.DEFAULTS;

  private static List<Long> sequences(List<JsonObject> events) {
    return events.stream().map(e -> e.getLong("sequence")).toList();
  }

  @Test
  @DisplayName("a staff client subscribed to the queue (browser-style subprotocol token) sees a comment made through REST, with its sequence")
  void staffSeesChangeMadeThroughRest() throws Exception {
    try (StreamDesk desk = new StreamDesk(OPTIONS)) {
      Ticket t = desk.ticket(desk.customer, "printer on fire");
      String token = desk.token(desk.agent);
      StreamDesk.Client c = desk.connect(desk.connectOptions("tenant=" + desk.tenant)
          .addSubProtocol("otklik.v1").addSubProtocol("bearer." + token), false);
      assertThat(c.ws.subProtocol()).isEqualTo("otklik.v1");
      c.next("welcome");
      c.send(StreamDesk.subscribe("queue", null));
      JsonObject subscribed = c.next("subscribed");
      long before = subscribed.getLong("sequence");

      var response = desk.http.post("/api/v1/tenants/" + desk.tenant + "/requests/" + t.number() + "/comments")
          .putHeader("Authorization", "Bearer " + token)
          .sendJsonObject(new JsonObject().put("body", "we are on it")).await();
      assertThat(response.statusCode()).isEqualTo(201);

      JsonObject event = c.next("event");
      assertThat(event.getLong("sequence")).isEqualTo(before + 1);
      assertThat(event.getString("ticket")).isEqualTo(t.number());
      assertThat(event.getString("event")).isEqualTo("comment-added");
      assertThat(event.getJsonObject("after").getString("body")).isEqualTo("we are on it");
    }
  }

  @Test
  @DisplayName("a customer gets only the public events of their organisation's requests: not another organisation's, not internal notes")
  void customerGetsOnlyPublicEventsOfOwnOrganisation() throws Exception {
    try (StreamDesk desk = new StreamDesk(OPTIONS)) {
      StreamDesk.Client c = desk.connect(desk.token(desk.customer));
      c.next("welcome");
      c.send(StreamDesk.subscribe("queue", null));
      assertThat(c.next("error").getString("code")).isEqualTo("stream.queue-staff-only");
      c.send(StreamDesk.subscribe("mine", 0L));
      c.next("subscribed");

      Ticket mine = desk.ticket(desk.customer, "mine");
      Ticket theirs = desk.ticket(desk.otherCustomer, "theirs");
      desk.comment(desk.agent, mine, "internal: customer is difficult", true);
      desk.comment(desk.otherCustomer, theirs, "other org comment", false);
      desk.comment(desk.agent, theirs, "other org internal", true);
      long last = desk.comment(desk.agent, mine, "public answer", false);

      List<JsonObject> events = c.eventsUntil(last);
      assertThat(events).allSatisfy(e -> {
        assertThat(e.getString("ticket")).isEqualTo(mine.number());
        assertThat(e.getBoolean("public")).isTrue();
        assertThat(e.getString("event")).isNotEqualTo("internal-note-added");
      });
      assertThat(events).extracting(e -> e.getString("event")).contains("comment-added");
      assertThat(sequences(events)).isSorted().doesNotHaveDuplicates();

      // Asking for the other organisation's request by number: it does not exist for this customer.
      c.send(new JsonObject().put("type", "subscribe").put("subscriptions",
          new JsonArray().add(new JsonObject().put("scope", "ticket").put("number", theirs.number()))));
      assertThat(c.next("error").getString("code")).isEqualTo("ticket.not-found");
    }
  }

  @Test
  @DisplayName("reconnecting with the last id replays the missed events, then live ones, with sequence ids complete and strictly increasing")
  void resumeReplaysGapThenLiveWithoutGapOrDuplicate() throws Exception {
    try (StreamDesk desk = new StreamDesk(OPTIONS)) {
      Ticket t = desk.ticket(desk.customer, "resume");
      String token = desk.token(desk.agent);
      StreamDesk.Client first = desk.connect(token);
      first.send(StreamDesk.subscribe("queue", 0L));
      long seen = first.eventsUntil(1).get(0).getLong("sequence");
      assertThat(seen).isEqualTo(1);
      first.ws.close().await();

      for (int i = 0; i < 20; i++) {
        desk.comment(desk.agent, t, "while away " + i, i % 2 == 0);
      }
      // Live events keep coming while the replay runs.
      CompletableFuture<Long> live = CompletableFuture.supplyAsync(() -> {
        long lastLive = 0;
        for (int i = 0; i < 20; i++) {
          lastLive = desk.comment(desk.agent, t, "live " + i, false);
        }
        return lastLive;
      });
      StreamDesk.Client again = desk.connect(token);
      again.send(StreamDesk.subscribe("queue", seen));
      long lastLive = live.get();
      assertThat(lastLive).isEqualTo(41);
      List<JsonObject> events = again.eventsUntil(lastLive);
      assertThat(sequences(events)).isEqualTo(LongStream.rangeClosed(2, 41).boxed().toList());

      long after = desk.comment(desk.agent, t, "one more", false);
      assertThat(again.next("event").getLong("sequence")).isEqualTo(after);
    }
  }

  @Test
  @DisplayName("a resume missing more events than the limit gets resync-required, then live events only")
  void tooManyMissedEventsNeedResync() throws Exception {
    try (StreamDesk desk = new StreamDesk(OPTIONS.withMaxReplayEvents(5))) {
      Ticket t = desk.ticket(desk.customer, "busy");
      for (int i = 0; i < 7; i++) {
        desk.comment(desk.agent, t, "note " + i, true);
      }
      StreamDesk.Client c = desk.connect(desk.token(desk.agent));
      c.send(StreamDesk.subscribe("queue", 1L));
      JsonObject resync = c.next(f -> !"welcome".equals(f.getString("type")));
      assertThat(resync.getString("type")).isEqualTo("resync-required");
      assertThat(resync.getLong("sequence")).isEqualTo(8);
      assertThat(c.next("subscribed").getLong("after")).isEqualTo(8);
      long next = desk.comment(desk.agent, t, "after resync", false);
      assertThat(c.next("event").getLong("sequence")).isEqualTo(next).isEqualTo(9);
    }
  }

  @Test
  @DisplayName("a resume whose missed events are older than the retention gets resync-required")
  void missedEventsOlderThanRetentionNeedResync() throws Exception {
    Clock lastYear = Clock.fixed(Instant.parse("2025-03-03T09:00:00Z"), ZoneOffset.UTC);
    try (StreamDesk desk = new StreamDesk(OPTIONS.withRetention(Duration.ofDays(1)), lastYear,
        new HttpServerOptions(), new WebSocketClientOptions())) {
      Ticket t = desk.ticket(desk.customer, "old");
      desk.comment(desk.agent, t, "old news", false);
      StreamDesk.Client c = desk.connect(desk.token(desk.agent));
      c.send(StreamDesk.subscribe("queue", 1L));
      assertThat(c.next("resync-required").getString("reason")).contains("retention");
    }
  }

  @Test
  @DisplayName("a client that stops reading is closed with 4008 once its send queue stays full, and its session and consumer are freed")
  void slowConsumerIsClosedWith4008() throws Exception {
    StreamOptions tiny = OPTIONS.withQueue(4, Duration.ofMillis(300));
    try (StreamDesk desk = new StreamDesk(tiny, Clock.systemUTC(), new HttpServerOptions().setSendBufferSize(8192),
        new WebSocketClientOptions().setReceiveBufferSize(8192))) {
      Ticket t = desk.ticket(desk.customer, "chatty");
      String big = "x".repeat(16_000);
      for (int i = 0; i < 120; i++) {
        desk.comment(desk.agent, t, big, false);
      }
      StreamDesk.Client c = desk.connect(desk.connectOptions(null)
          .addHeader("Authorization", "Bearer " + desk.token(desk.agent)), true);
      c.send(StreamDesk.subscribe("queue", 0L));
      long deadline = System.currentTimeMillis() + 10_000;
      while (desk.gateway.slowConsumersClosed() == 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(desk.gateway.slowConsumersClosed()).isEqualTo(1);
      assertThat(desk.gateway.openSessions()).isZero();
      assertThat(desk.gateway.tenantChannels()).isZero();
      c.ws.resume();
      assertThat(c.closeCode(Duration.ofSeconds(10))).isEqualTo(StreamCloseCodes.SLOW_CONSUMER);
    }
  }

  @Test
  @DisplayName("a socket is closed with 4001 when its access token expires")
  void expiredTokenClosesSocket() throws Exception {
    try (StreamDesk desk = new StreamDesk(OPTIONS)) {
      AccessTokens shortLived = new AccessTokens(desk.vertx, JwtKeys.hs256(
          "a-stream-test-secret-of-at-least-32-bytes", "otklik", "otklik-api", Duration.ofSeconds(2)));
      StreamDesk.Client c = desk.connect(shortLived.issue(desk.agent).token());
      c.next("welcome");
      assertThat(c.closeCode(Duration.ofSeconds(6))).isEqualTo(StreamCloseCodes.TOKEN_EXPIRED);
      assertThat(desk.gateway.openSessions()).isZero();
    }
  }

  @Test
  @DisplayName("a token of another tenant is refused at the upgrade (403), a missing token too (401), and a plain GET gets 400")
  void tokenOfAnotherTenantIsRefused() {
    try (StreamDesk desk = new StreamDesk(OPTIONS)) {
      String otherTenant = TestTenants.create(desk.tx);
      desk.enabled.put(otherTenant, true);
      UserAccount stranger = TestPeople.user(desk.tx, otherTenant, Role.AGENT, null);
      assertThatThrownBy(() -> desk.connect(desk.connectOptions("tenant=" + desk.tenant)
          .addHeader("Authorization", "Bearer " + desk.token(stranger)), false))
          .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(403));
      assertThatThrownBy(() -> desk.connect(desk.connectOptions(null), false))
          .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(401));
      // Not an upgrade at all: a problem answer, not a hang.
      assertThat(desk.http.get(StreamGateway.PATH).putHeader("Authorization", "Bearer " + desk.token(desk.agent))
          .send().await().statusCode()).isEqualTo(400);
    }
  }

  @Test
  @DisplayName("where the tenant requires a second factor for agents, a password-only token is refused at the upgrade and a token with it is let in")
  void requiredSecondFactorHoldsForTheStreamToo() throws Exception {
    try (StreamDesk desk = new StreamDesk(OPTIONS)) {
      dev.otklik.core.tenant.TenantConfig base = dev.otklik.store.TestSla.tenantConfig(desk.tenant);
      desk.typed.put(desk.tenant, new dev.otklik.core.tenant.TenantConfig(base.id(), base.enabled(),
          base.requestNumberPrefix(), base.defaultLocale(), base.identity(), base.branding(), base.channels(),
          base.calendar(), base.taxonomy(), base.requestForm(), base.catalogue(), base.sla(), base.workflow(),
          base.intake(), base.contract(), base.releases(), base.library(), base.notifications(), base.webhooks(),
          new dev.otklik.core.tenant.SignIn(dev.otklik.core.tenant.SignIn.DEFAULT.password(), java.util.Set.of(Role.AGENT),
              List.of()), base.satisfaction()));
      String passwordOnly = desk.tokens.issue(desk.agent, java.util.UUID.randomUUID(), List.of("pwd")).token();
      assertThatThrownBy(() -> desk.connect(passwordOnly))
          .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(403));
      String withCode = desk.tokens.issue(desk.agent, java.util.UUID.randomUUID(), List.of("pwd", "otp", "mfa")).token();
      desk.connect(withCode).next("welcome");
      String customer = desk.tokens.issue(desk.customer, java.util.UUID.randomUUID(), List.of("pwd")).token();
      desk.connect(customer).next("welcome");
    }
  }

  @Test
  @DisplayName("disabling a tenant in its config closes its sockets with 4003")
  void disabledTenantClosesSockets() throws Exception {
    try (StreamDesk desk = new StreamDesk(OPTIONS)) {
      StreamDesk.Client c = desk.connect(desk.token(desk.agent));
      c.next("welcome");
      desk.enabled.put(desk.tenant, false);
      desk.vertx.eventBus().publish(EventBusAddresses.TENANTS_RELOADED, new JsonObject()
          .put("added", new JsonArray()).put("changed", new JsonArray().add(desk.tenant))
          .put("removed", new JsonArray()).put("refused", new JsonArray()));
      assertThat(c.closeCode(Duration.ofSeconds(5))).isEqualTo(StreamCloseCodes.TENANT_UNAVAILABLE);
    }
  }

  @Test
  @DisplayName("the server pings: a client that answers stays connected past the idle timeout, a socket that never answers is closed with 4002")
  void heartbeatsKeepLiveClientsAndCloseDeadOnes() throws Exception {
    StreamOptions quick = new StreamOptions(Duration.ofDays(7), 1000, 256, Duration.ofSeconds(10),
        Duration.ofMillis(100), Duration.ofMillis(400));
    try (StreamDesk desk = new StreamDesk(quick)) {
      String token = desk.token(desk.agent);
      StreamDesk.Client alive = desk.connect(token);
      alive.next("welcome");

      // A dead peer: a raw TCP socket that completes the upgrade and then never answers a ping.
      Buffer received = Buffer.buffer();
      NetSocket dead = desk.vertx.createNetClient().connect(desk.server.actualPort(), "127.0.0.1").await();
      dead.handler(b -> {
        synchronized (received) {
          received.appendBuffer(b);
        }
      });
      dead.write("GET " + StreamGateway.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Authorization: Bearer " + token + "\r\n\r\n").await();

      Thread.sleep(1500);
      alive.send(new JsonObject().put("type", "ping"));
      assertThat(alive.next("pong")).isNotNull();
      assertThat(alive.closed).isNotDone();
      byte[] bytes;
      synchronized (received) {
        bytes = received.getBytes();
      }
      assertThat(containsCloseFrame(bytes, StreamCloseCodes.IDLE)).as("close frame 4002 sent to the dead peer").isTrue();
      assertThat(desk.gateway.openSessions()).isEqualTo(1);
    }
  }

  /** An unmasked server close frame (0x88, length, 2-byte code). */
  private static boolean containsCloseFrame(byte[] bytes, short code) {
    for (int i = 0; i + 3 < bytes.length; i++) {
      if ((bytes[i] & 0xff) == 0x88 && (bytes[i + 2] & 0xff) == ((code >> 8) & 0xff) && (bytes[i + 3] & 0xff) == (code & 0xff)) {
        return true;
      }
    }
    return false;
  }
}
