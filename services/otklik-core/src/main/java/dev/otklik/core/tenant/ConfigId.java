package dev.otklik.core.tenant;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Maps the constants of a closed vocabulary to the kebab-case ids used in tenant files and in
 * the API ({@code FIRST_LINE <-> "first-line"}), so enums need no per-constant ids.
 */
public final class ConfigId {

  /** The kebab-case id of a constant: {@code WAITING_FOR_CUSTOMER -> "waiting-for-customer"}. */
  public static String of(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The constant whose id is {@code id}.
   *
   * @throws IllegalArgumentException naming the accepted ids when none matches
   */
  public static <E extends Enum<E>> E parse(Class<E> vocabulary, String id) {
    for (E constant : vocabulary.getEnumConstants()) {
      if (of(constant).equals(id)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(
        "\"" + id + "\" is not one of: " + idsOf(vocabulary));
  }

  /** Every id of a vocabulary, comma-separated in declaration order (for messages). */
  public static String idsOf(Class<? extends Enum<?>> vocabulary) {
    return join(vocabulary.getEnumConstants());
  }

  /** The ids of {@code constants}, comma-separated (for messages). */
  public static String join(Enum<?>... constants) {
    return Arrays.stream(constants).map(ConfigId::of).collect(Collectors.joining(", "));
  }

  private ConfigId() {}
}
