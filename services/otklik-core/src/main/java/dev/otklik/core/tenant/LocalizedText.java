package dev.otklik.core.tenant;

import java.util.Objects;
import java.util.Optional;

/**
 * Human text in Russian and, optionally, English.
 *
 * @param ru the Russian text, always present
 * @param en the English text, if the vendor provided one
 */
public record LocalizedText(String ru, Optional<String> en) {

  public LocalizedText {
    Objects.requireNonNull(ru, "ru");
    Objects.requireNonNull(en, "en");
  }

  public static LocalizedText of(String ru, String en) {
    return new LocalizedText(ru, Optional.of(en));
  }

  public static LocalizedText ru(String ru) {
    return new LocalizedText(ru, Optional.empty());
  }

  /** The text in {@code language}, falling back to Russian when there is no English text. */
  public String in(Language language) {
    return language == Language.EN ? en.orElse(ru) : ru;
  }
}
