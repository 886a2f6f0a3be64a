package dev.otklik.store;

import dev.otklik.core.tenant.LocalizedText;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A notice a tenant's staff sent to many customers at once, as staff see it: with its audience
 * and how many customers were told and have read it.
 *
 * @param organisationIds the organisations addressed; empty when {@code audience} is all customers
 * @param recipientCount  customer accounts told at publish time
 * @param readCount       of those, how many marked it read
 */
public record MassNotice(
    UUID id,
    String tenantId,
    Kind kind,
    LocalizedText title,
    LocalizedText body,
    Audience audience,
    List<UUID> organisationIds,
    UUID publishedBy,
    OffsetDateTime publishedAt,
    long recipientCount,
    long readCount) {

  public MassNotice {
    organisationIds = List.copyOf(organisationIds);
  }

  /** What a notice is about; stored and sent by {@link #code()}, e.g. {@code security-update}. */
  public enum Kind {
    SECURITY_UPDATE,
    MAINTENANCE,
    NEWS;

    public String code() {
      return codeOf(this);
    }

    public static Kind ofCode(String code) {
      return byCode(values(), code);
    }
  }

  /** Who is told: every customer of the tenant, or the customers of chosen organisations. */
  public enum Audience {
    ALL_CUSTOMERS,
    ORGANISATIONS;

    public String code() {
      return codeOf(this);
    }

    public static Audience ofCode(String code) {
      return byCode(values(), code);
    }
  }

  /** A notice as its recipient sees it: no audience, no counts, and whether they have read it. */
  public record Received(
      UUID id, Kind kind, LocalizedText title, LocalizedText body, OffsetDateTime publishedAt, OffsetDateTime readAt) {}

  private static String codeOf(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static <E extends Enum<E>> E byCode(E[] values, String code) {
    for (E value : values) {
      if (codeOf(value).equals(code)) {
        return value;
      }
    }
    throw new IllegalArgumentException("unknown " + values[0].getDeclaringClass().getSimpleName() + " " + code);
  }
}
