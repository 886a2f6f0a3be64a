package dev.otklik.tenant;

import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.TaxonomyItem;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/** Readers for the small shapes every configuration file uses. */
final class CommonReaders {

  static LocalizedText localizedText(ConfigNode node) {
    return node.asObject(n -> new LocalizedText(n.text("ru"), n.optional("en", ConfigNode::asText)));
  }

  static Optional<LocalizedText> optionalText(ConfigNode node, String key) {
    return node.optional(key, CommonReaders::localizedText);
  }

  static LocalizedText text(ConfigNode node, String key) {
    return localizedText(node.get(key).required());
  }

  static TaxonomyItem item(ConfigNode node) {
    return node.asObject(n -> new TaxonomyItem(n.text("id"), text(n, "name"), optionalText(n, "description")));
  }

  static SlaDuration duration(ConfigNode node, String key) {
    return node.parse(key, SlaDuration::parse);
  }

  static Optional<SlaDuration> optionalDuration(ConfigNode node, String key) {
    return node.optional(key, n -> n.as(SlaDuration::parse));
  }

  /** A parser for the kebab-case ids of a closed vocabulary. */
  static <E extends Enum<E>> Function<String, E> vocabulary(Class<E> type) {
    return id -> ConfigId.parse(type, id);
  }

  static LocalDate date(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a date: \"" + text + "\" (expected an existing YYYY-MM-DD)", e);
    }
  }

  private CommonReaders() {}
}
