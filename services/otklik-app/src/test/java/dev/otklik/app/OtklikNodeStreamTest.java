package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.api.auth.AccessTokens;
import dev.otklik.api.auth.JwtKeys;
import dev.otklik.core.auth.Role;
import dev.otklik.store.UserAccount;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher mounts the realtime gateway on the node's HTTP server. */
class OtklikNodeStreamTest {

  static final String SECRET = "a-node-stream-test-secret-of-at-least-32-bytes";

  @TempDir static Path work;
  static OtklikNode node;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("http.port", "0");
    settings.put("http.host", "127.0.0.1");
    settings.put("http.instances", "2");
    settings.put("data-dir", work.resolve("data").toString());
    settings.put("tenant-config", TestTenantConfig.copyTo(work.resolve("tenant-config")).toString());
    settings.put("tenant-reload-interval", "PT0S");
    settings.put("jwt.secret", SECRET);
    node = OtklikNode.start(AppOptions.from(settings));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.stop();
    }
  }

  static String token(String tenant) {
    JwtKeys keys = JwtKeys.hs256(SECRET, "otklik", "otklik-api", Duration.ofMinutes(5));
    UserAccount agent = new UserAccount(UUID.randomUUID(), tenant, "agent@" + tenant + ".test", "Agent", "ru", "x",
        Role.AGENT, null, true, OffsetDateTime.now(), 1);
    return new AccessTokens(node.vertx(), keys).issue(agent).token();
  }

  @Test
  @DisplayName("the node serves /api/v1/stream: a browser-style subprotocol token is accepted with otklik.v1, a missing token is refused with 401")
  void nodeServesTheStream() throws Exception {
    var client = node.vertx().createWebSocketClient();
    LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    io.vertx.core.http.ClientWebSocket socket = client.webSocket(); // handlers before the upgrade: no frame is missed
    socket.textMessageHandler(t -> frames.add(new JsonObject(t)));
    WebSocket ws = socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.httpPort())
            .setURI("/api/v1/stream?tenant=asmo").addSubProtocol("otklik.v1").addSubProtocol("bearer." + token("asmo")))
        .await();
    assertThat(ws.subProtocol()).isEqualTo("otklik.v1");
    assertThat(frames.poll(10, TimeUnit.SECONDS).getString("type")).isEqualTo("welcome");
    ws.writeTextMessage(new JsonObject().put("type", "subscribe").put("scope", "queue").encode()).await();
    assertThat(frames.poll(10, TimeUnit.SECONDS).getString("type")).isEqualTo("subscribed");
    ws.close().await();

    try {
      client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.httpPort())
          .setURI("/api/v1/stream")).await();
      throw new AssertionError("upgrade without a token was accepted");
    } catch (UpgradeRejectedException e) {
      assertThat(e.getStatus()).isEqualTo(401);
    }
  }
}
