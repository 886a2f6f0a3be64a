package dev.otklik.store;

import dev.otklik.core.OtklikException;
import java.util.Set;

/**
 * Paging, free-text filter and sort of a list. {@code sort} is a field name, with a leading
 * {@code -} for descending order; a store names the fields it can sort by.
 *
 * @param q text to look for, or null for no text filter
 */
public record ListQuery(int offset, int limit, String q, String sort) {

  public ListQuery {
    if (offset < 0 || limit < 1) {
      throw new IllegalArgumentException("offset must be >= 0 and limit >= 1");
    }
    q = q == null || q.isBlank() ? null : q.strip();
  }

  /** The sort, checked against the fields a list offers; 400 {@code page.sort-invalid} otherwise. */
  String sortAmong(Set<String> fields, String fallback) {
    if (sort == null || sort.isBlank()) {
      return fallback;
    }
    String field = sort.startsWith("-") ? sort.substring(1) : sort;
    if (!fields.contains(field)) {
      throw OtklikException.badRequest("page.sort-invalid", sort, String.join(", ", new java.util.TreeSet<>(fields)));
    }
    return sort;
  }
}
