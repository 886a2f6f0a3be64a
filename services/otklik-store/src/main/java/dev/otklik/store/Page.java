package dev.otklik.store;

import dev.otklik.core.OtklikException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One page of a longer list.
 *
 * @param total how many items match the query in all, not only on this page
 */
public record Page<T>(List<T> items, long total) {

  public Page {
    items = List.copyOf(items);
  }

  /**
   * Runs a list statement in the tenant's transaction: {@code filters} plus {@code tenant_id},
   * {@code q}, {@code sort} (checked against {@code sortFields}; 400 {@code page.sort-invalid}),
   * {@code limit} and {@code offset}.
   */
  static <T> Future<Page<T>> list(TenantTransactions tx, String tenantId, NamedSql.Statement statement,
      Map<String, Object> filters, ListQuery query, Set<String> sortFields, String defaultSort, Function<Row, T> item) {
    Map<String, Object> values = new java.util.HashMap<>(filters);
    try {
      values.put("sort", query.sortAmong(sortFields, defaultSort));
    } catch (OtklikException invalid) {
      return Future.failedFuture(invalid);
    }
    values.put("tenant_id", tenantId);
    values.put("q", query.q());
    values.put("limit", (long) query.limit());
    values.put("offset", (long) query.offset());
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(statement.sql())
        .execute(statement.tuple(values))
        .map(rows -> of(rows, item)));
  }

  /**
   * Reads the rows of a list statement shaped {@code SELECT t.total, p.* FROM (count) t LEFT
   * JOIN LATERAL (page) p ON true}: always one row or more, with the item columns null (no
   * {@code id}) when the page is past the end.
   */
  static <T> Page<T> of(RowSet<Row> rows, Function<Row, T> item) {
    long total = 0;
    List<T> items = new ArrayList<>();
    for (Row row : rows) {
      total = row.getLong("total");
      if (row.getUUID("id") != null) {
        items.add(item.apply(row));
      }
    }
    return new Page<>(items, total);
  }
}
