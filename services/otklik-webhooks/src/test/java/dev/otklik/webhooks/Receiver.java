package dev.otklik.webhooks;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP receiver on 127.0.0.1 for tests. {@code behaviour} answers the n-th request
 * (0-based) as it likes; every request is recorded with its headers and body.
 */
final class Receiver implements AutoCloseable {

  record Received(String id, String timestamp, String signature, String body, long atNanos) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  interface Behaviour {
    void answer(HttpServerRequest request, Buffer body, int index);
  }

  static final Behaviour OK = (req, body, i) -> req.response().setStatusCode(204).end();

  final List<Received> received = new CopyOnWriteArrayList<>();
  private final Vertx vertx;
  private final HttpServer server;

  private Receiver(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  static Receiver start(Vertx vertx, Behaviour behaviour) {
    Receiver[] self = new Receiver[1];
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      Receiver r = self[0];
      int index;
      synchronized (r.received) {
        index = r.received.size();
        r.received.add(new Received(req.getHeader("webhook-id"), req.getHeader("webhook-timestamp"),
            req.getHeader("webhook-signature"), body.toString(StandardCharsets.UTF_8), System.nanoTime()));
      }
      behaviour.answer(req, body, index);
    }));
    server.listen(0, "127.0.0.1").await();
    self[0] = new Receiver(vertx, server);
    return self[0];
  }

  static Receiver start(Vertx vertx, Function<Integer, Integer> statusOfRequest) {
    return start(vertx, (req, body, i) -> req.response().setStatusCode(statusOfRequest.apply(i)).end());
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hooks/otklik?x=1";
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server.close().await();
  }

  /**
   * An independent Standard Webhooks check (plain javax.crypto): true if one of the
   * space-separated {@code v1,} signatures is the HMAC-SHA256 of {@code id.timestamp.body}.
   */
  static boolean signatureValid(String secret, Received r) {
    try {
      byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      String expected = "v1," + Base64.getEncoder().encodeToString(
          mac.doFinal((r.id() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
      for (String s : r.signature().split(" ")) {
        if (s.equals(expected)) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
