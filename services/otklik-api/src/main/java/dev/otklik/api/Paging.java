package dev.otklik.api;

import dev.otklik.core.OtklikException;
import io.vertx.ext.web.RoutingContext;

/** Query-parameter parsing for paged lists; bad values are a 400 problem, never a 500. */
final class Paging {

  private Paging() {}

  static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String raw = ctx.queryParams().get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw OtklikException.badRequest("page.invalid", name, min, max);
  }
}
