package dev.otklik.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.sqlclient.Pool;
import java.util.List;

/** Serves the HTTP API. Deployed once per event-loop core; instances share the port. */
public final class HttpServerVerticle extends VerticleBase {

  private final ApiOptions options;
  private final TenantSource tenants;
  private final Pool pool;
  private final RouteContributor extra;
  private HttpServer server;

  public HttpServerVerticle(ApiOptions options, TenantSource tenants, Pool pool) {
    this(options, tenants, pool, RouteContributor.NONE);
  }

  /** @param extra routes of other modules (the realtime stream), mounted before the 404 fallback */
  public HttpServerVerticle(ApiOptions options, TenantSource tenants, Pool pool, RouteContributor extra) {
    this.options = options;
    this.tenants = tenants;
    this.pool = pool;
    this.extra = extra;
  }

  /** The WebSocket subprotocol the stream speaks; browsers also offer {@code bearer.<token>}. */
  public static final String STREAM_SUBPROTOCOL = "otklik.v1";

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions()
            .setHost(options.host())
            .setPort(options.port())
            .setCompressionSupported(true)
            .setWebSocketSubProtocols(List.of(STREAM_SUBPROTOCOL)))
        .requestHandler(ApiRouter.create(vertx, options, tenants, pool, extra))
        .listen()
        .onSuccess(s -> server = s);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
