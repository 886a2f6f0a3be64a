package dev.otklik.core.tenant;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * An entry of the release schedule, which release-based SLA units read.
 *
 * @param date in the tenant's time zone
 */
public record Release(String id, ReleaseType type, LocalDate date, Optional<LocalizedText> name) {

  public Release {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(name, "name");
  }
}
