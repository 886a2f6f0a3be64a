package dev.otklik.store;

import dev.otklik.core.auth.Role;
import dev.otklik.store.TicketStore.Caller;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/**
 * Full-text search over a tenant's requests: subject and description, comments, and attachment
 * names, in Russian and English at once (see V006). It honours the rules of every other read: a
 * customer finds only the requests of their organisations and the ones they watch, and never an internal note; staff find the
 * whole tenant's; the tenant filter is both in the statement and in row-level security.
 */
public final class SearchStore {

  /** Marks the start of a matched word in {@link Hit#snippet()} (a private-use character no text contains). */
  public static final char MATCH_START = '\uE000';
  /** Marks the end of a matched word in {@link Hit#snippet()}. */
  public static final char MATCH_END = '\uE001';

  private static final String HEADLINE_OPTIONS = "StartSel=" + MATCH_START + ", StopSel=" + MATCH_END
      + ", MaxWords=30, MinWords=10, ShortWord=2, MaxFragments=2, FragmentDelimiter=\" … \"";

  /**
   * One request found, with its best match.
   *
   * @param matchedIn {@code request} (subject or description), {@code comment}, {@code internal-note}
   *                  (staff only) or {@code attachment}
   * @param snippet   plain text around the match, matched words between {@link #MATCH_START} and {@link #MATCH_END}
   * @param rank      relevance; higher is better
   */
  public record Hit(UUID ticketId, String number, String subject, String status, String matchedIn, String snippet,
      double rank) {}

  private final TenantTransactions tx;
  private final NamedSql.Statement search;

  public SearchStore(TenantTransactions tx) {
    this.tx = tx;
    this.search = NamedSql.load("search").get("search");
  }

  /** A page of the requests {@code caller} may see that match {@code query} (web-search syntax), best first. */
  public Future<Page<Hit>> search(String tenantId, Caller caller, String query, int offset, int limit) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(search.sql())
        .execute(search.tuple(Params.of(
            "tenant_id", tenantId, "q", query, "scope_organisations", caller.scopeOrganisations(),
            "scope_user", caller.scopeUser(),
            "include_internal", caller.role() != Role.CUSTOMER, "headline_options", HEADLINE_OPTIONS,
            "offset", (long) offset, "limit", (long) limit)))
        .map(rows -> Page.of(rows, SearchStore::hit)));
  }

  private static Hit hit(Row row) {
    return new Hit(row.getUUID("id"), row.getString("number"), row.getString("subject"), row.getString("status"),
        row.getString("matched_in"), row.getString("snippet"), row.getFloat("rank"));
  }
}
