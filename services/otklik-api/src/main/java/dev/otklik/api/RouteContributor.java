package dev.otklik.api;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * Extra routes another module mounts on the node's router (the realtime gateway's
 * {@code /api/v1/stream}, for one). They are added after the REST routes and before the 404
 * fallback, so the router's problem handler answers their failures too. They are not part of
 * the REST OpenAPI paths.
 */
@FunctionalInterface
public interface RouteContributor {

  /** Nothing extra. */
  RouteContributor NONE = (vertx, router) -> {};

  void addRoutes(Vertx vertx, Router router);
}
