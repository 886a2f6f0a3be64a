package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.core.OtklikException;
import dev.otklik.store.SearchStore;
import dev.otklik.store.SearchStore.Hit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/tenants/:tenantId/search?q=&offset=&limit=}: full-text search over the
 * requests the caller may see (subject, description, comments, attachment names), in Russian and
 * English, best match first. {@code q} takes web-search syntax: words, {@code "a phrase"},
 * {@code or}, {@code -word}.
 */
public final class SearchHandler {

  private static final int MAX_QUERY = 200;

  private final SearchStore search;

  public SearchHandler(SearchStore search) {
    this.search = search;
  }

  public void search(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    String q = ctx.queryParams().get("q");
    if (q == null || q.isBlank() || q.length() > MAX_QUERY) {
      throw OtklikException.badRequest("search.query-invalid", MAX_QUERY);
    }
    int offset = Paging.intParam(ctx, "offset", 0, 0, 10_000);
    int limit = Paging.intParam(ctx, "limit", 20, 1, 100);
    search.search(caller.tenantId(), TicketHandler.caller(caller), q.strip(), offset, limit)
        .onSuccess(page -> {
          JsonArray items = new JsonArray();
          page.items().forEach(hit -> items.add(json(hit)));
          HealthHandler.json(ctx, 200, new JsonObject()
              .put("items", items).put("total", page.total()).put("offset", offset).put("limit", limit));
        })
        .onFailure(ctx::fail);
  }

  private static JsonObject json(Hit hit) {
    return new JsonObject()
        .put("number", hit.number())
        .put("subject", hit.subject())
        .put("status", hit.status())
        .put("matchedIn", hit.matchedIn())
        .put("snippet", snippetHtml(hit.snippet()))
        .put("rank", hit.rank());
  }

  /** The snippet as HTML: the text escaped, each matched word in {@code <mark>}. */
  static String snippetHtml(String snippet) {
    StringBuilder html = new StringBuilder(snippet.length() + 32);
    for (int i = 0; i < snippet.length(); i++) {
      char c = snippet.charAt(i);
      switch (c) {
        case SearchStore.MATCH_START -> html.append("<mark>");
        case SearchStore.MATCH_END -> html.append("</mark>");
        case '&' -> html.append("&amp;");
        case '<' -> html.append("&lt;");
        case '>' -> html.append("&gt;");
        case '"' -> html.append("&quot;");
        case '\'' -> html.append("&#39;");
        default -> html.append(c);
      }
    }
    return html.toString();
  }
}
