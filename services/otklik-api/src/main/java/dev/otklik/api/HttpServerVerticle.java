package dev.otklik.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.sqlclient.Pool;

/** Serves the HTTP API. Deployed once per event-loop core; instances share the port. */
public final class HttpServerVerticle extends VerticleBase {

  private final ApiOptions options;
  private final TenantSource tenants;
  private final Pool pool;
  private HttpServer server;

  public HttpServerVerticle(ApiOptions options, TenantSource tenants, Pool pool) {
    this.options = options;
    this.tenants = tenants;
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions()
            .setHost(options.host())
            .setPort(options.port())
            .setCompressionSupported(true))
        .requestHandler(ApiRouter.create(vertx, options, tenants, pool))
        .listen()
        .onSuccess(s -> server = s);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
