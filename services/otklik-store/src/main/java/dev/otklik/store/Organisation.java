package dev.otklik.store;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A customer organisation of one tenant, with the mail domains that identify its people and the
 * contract dates that decide what support it is entitled to.
 *
 * @param version increases with every change; updates name the version they were based on
 */
public record Organisation(
    UUID id,
    String tenantId,
    String name,
    List<String> emailDomains,
    String contractNumber,
    LocalDate contractStart,
    LocalDate freeSupportUntil,
    LocalDate warrantyUntil,
    OffsetDateTime createdAt,
    int version) {

  public Organisation {
    emailDomains = List.copyOf(emailDomains);
  }
}
