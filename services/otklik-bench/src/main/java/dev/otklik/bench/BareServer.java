package dev.otklik.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * A bare HTTP server of the {@code http} benchmark ({@link CeilingServer}, {@link StoreFloorServer}):
 * one request handler on loopback, no routing framework, run as a child process of the harness.
 */
abstract class BareServer extends VerticleBase {

  private final int port;

  BareServer(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1");
  }

  abstract void handle(HttpServerRequest req);

  /**
   * Once {@code setUp} gives the servers' factory, deploys {@code instances} of them and prints
   * {@code readyLine} (what the harness waits for); exits the process if any step fails, so the
   * harness does not wait for a server that will never listen.
   */
  static void launch(Vertx vertx, Future<Supplier<BareServer>> setUp, int instances, String readyLine) {
    setUp.compose(servers -> vertx.deployVerticle(servers::get, new DeploymentOptions().setInstances(instances)))
        .onSuccess(id -> System.out.println(readyLine))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }
}
