package dev.otklik.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.store.DatabaseEndpoint;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.WebhookStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The dispatcher in a child JVM, killed with SIGKILL mid-delivery while events keep coming. */
class DispatcherProcessKillTest {

  private final List<Process> children = new ArrayList<>();
  private Receiver receiver;

  @AfterEach
  void cleanUp() {
    children.forEach(Process::destroyForcibly);
    if (receiver != null) {
      receiver.close();
    }
  }

  private Process child(String tenantId) throws Exception {
    DatabaseEndpoint db = TestDatabase.endpoint();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), DispatcherProcess.class.getName(), db.host(),
        Integer.toString(db.port()), db.database(), db.appUser(), db.appPassword(), tenantId));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    children.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String line;
    while ((line = out.readLine()) != null) {
      if (line.equals("ready")) {
        Thread drain = new Thread(() -> {
          try {
            while (out.readLine() != null) {
              // keep the pipe empty
            }
          } catch (Exception ignored) {
            // the process is gone
          }
        });
        drain.setDaemon(true);
        drain.start();
        return p;
      }
      if (System.nanoTime() > end) {
        break;
      }
    }
    throw new AssertionError("the dispatcher process did not start");
  }

  @Test
  @DisplayName("a dispatcher process killed with SIGKILL mid-delivery: after a restart every event arrives, duplicates share a webhook-id")
  void killedProcessLosesNothing() throws Exception {
    WebhookDesk desk = new WebhookDesk(Clock.systemUTC());
    receiver = Receiver.start(TestDatabase.vertx(), (req, body, i) -> TestDatabase.vertx().setTimer(80,
        t -> req.response().setStatusCode(204).end()));
    new WebhookStore(WebhookDesk.tx, Clock.systemUTC()).createEndpoint(desk.tenantId,
        new WebhookStore.EndpointDetails(receiver.url(), null, List.of("*"), true), WebhookSigner.newSecret()).await();
    Process first = child(desk.tenantId);

    List<Throwable> errors = new CopyOnWriteArrayList<>();
    Thread producer = new Thread(() -> {
      try {
        for (int i = 0; i < 15; i++) {
          String n = desk.file("steady " + i);
          desk.comment(n, "first");
          desk.comment(n, "second");
          Thread.sleep(100);
        }
      } catch (Throwable t) {
        errors.add(t);
      }
    });
    producer.start();
    WebhookDeliveryTest.awaitUntil("some deliveries made", Duration.ofSeconds(30), () -> receiver.received.size() >= 8);
    first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no stop(), no cleanup
    int atKill = receiver.received.size();
    child(desk.tenantId);
    producer.join();
    assertThat(errors).isEmpty();
    WebhookDeliveryTest.awaitUntil("all 45 delivered", Duration.ofSeconds(60), () -> WebhookDeliveryTest.count(
        "SELECT count(*) FROM webhook_delivery WHERE tenant_id = ? AND state = 'delivered'", desk.tenantId) == 45);

    List<String> ids = WebhookDesk.column("SELECT id FROM webhook_delivery WHERE tenant_id = ?", desk.tenantId);
    assertThat(receiver.received.stream().map(Receiver.Received::id).distinct().toList())
        .containsExactlyInAnyOrderElementsOf(ids);
    Map<Long, List<String>> idsBySequence = new HashMap<>();
    for (Receiver.Received got : receiver.received) {
      idsBySequence.computeIfAbsent(got.json().getJsonObject("data").getLong("sequence"), k -> new ArrayList<>())
          .add(got.id());
    }
    assertThat(idsBySequence).hasSize(45);
    idsBySequence.values().forEach(v -> assertThat(v.stream().distinct()).hasSize(1));
    System.out.printf("process kill: %d received before SIGKILL, %d requests for 45 events (%d duplicates)%n",
        atKill, receiver.received.size(), receiver.received.size() - 45);
  }
}
