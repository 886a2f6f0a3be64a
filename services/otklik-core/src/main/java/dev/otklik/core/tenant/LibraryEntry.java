package dev.otklik.core.tenant;

import java.util.Objects;

/** A manual, news item or document the portal links to. */
public record LibraryEntry(String id, LocalizedText title, String url, LibraryKind kind) {

  public LibraryEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(kind, "kind");
  }
}
