package dev.otklik.api;

import dev.otklik.core.OtklikException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's one failure handler: every failure leaves as an RFC 9457 problem body
 * ({@code application/problem+json}) with a stable {@code code}, a title and detail in the
 * caller's language, and the request id. Stack traces stay in the log.
 */
public final class ProblemHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  private final ProblemMessages messages;

  public ProblemHandler(ProblemMessages messages) {
    this.messages = messages;
  }

  public void handle(RoutingContext ctx) {
    OtklikException problem = toProblem(ctx);
    if (problem.status() == 503) {
      LOG.warn("request {} {} {} refused: {}", RequestIds.of(ctx), ctx.request().method(), ctx.request().path(),
          problem.code());
    } else if (problem.status() >= 500) {
      LOG.error("request {} {} {} failed", RequestIds.of(ctx), ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    IdempotencyHandler.releaseOnFailure(ctx).onComplete(released -> respond(ctx, problem));
  }

  /** Writes a problem response directly (for handlers that answer without failing the context). */
  public void respond(RoutingContext ctx, OtklikException problem) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    String lang = ProblemMessages.languageOf(ctx.request().getHeader("Accept-Language"));
    JsonObject body = new JsonObject()
        .put("type", "https://otklik.dev/problems/" + problem.code())
        .put("title", messages.title(problem.code(), lang))
        .put("status", problem.status())
        .put("detail", messages.detail(problem.code(), lang, problem.args()))
        .put("code", problem.code())
        .put("instance", ctx.request().path())
        .put("requestId", RequestIds.of(ctx));
    if (problem.status() == 503) {
      response.putHeader("Retry-After", "1"); // overload passes: try again shortly
    }
    response.setStatusCode(problem.status())
        .putHeader("Content-Type", "application/problem+json; charset=utf-8")
        .putHeader("Content-Language", lang)
        .end(body.encode());
  }

  private static OtklikException toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof OtklikException e) {
      return e;
    }
    if (failure instanceof DecodeException) {
      return new OtklikException(400, "request.malformed-json");
    }
    if (failure instanceof HttpException http) {
      return fromStatus(http.getStatusCode());
    }
    if (failure == null) {
      return fromStatus(ctx.statusCode());
    }
    return new OtklikException(500, "internal");
  }

  private static OtklikException fromStatus(int status) {
    return switch (status) {
      case 400 -> new OtklikException(400, "request.bad");
      case 401 -> new OtklikException(401, "auth.required");
      case 403 -> new OtklikException(403, "auth.forbidden");
      case 404 -> new OtklikException(404, "route.not-found");
      case 405 -> new OtklikException(405, "route.method-not-allowed");
      case 413 -> new OtklikException(413, "request.too-large");
      case 415 -> new OtklikException(415, "request.unsupported-media-type");
      default -> status >= 400 && status < 500
          ? new OtklikException(status, "request.bad")
          : new OtklikException(500, "internal");
    };
  }

  static List<Object> none() {
    return List.of();
  }
}
