package dev.otklik.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Human texts for problem codes, in Russian and English ({@code i18n/problems_<lang>.properties},
 * UTF-8). Every code the platform throws has a text in both languages; a test holds that.
 */
public final class ProblemMessages {

  public static final List<String> LANGUAGES = List.of("ru", "en");

  private final Properties ru;
  private final Properties en;

  public ProblemMessages() {
    this.ru = load("ru");
    this.en = load("en");
  }

  private static Properties load(String lang) {
    String resource = "i18n/problems_" + lang + ".properties";
    try (InputStream in = ProblemMessages.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing " + resource);
      }
      Properties p = new Properties();
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The title of a code (short, no arguments). */
  public String title(String code, String lang) {
    return text(code + ".title", lang, List.of());
  }

  /** The detail of a code, with its arguments filled in. */
  public String detail(String code, String lang, List<Object> args) {
    return text(code + ".detail", lang, args);
  }

  public boolean knows(String code) {
    return ru.containsKey(code + ".title") && en.containsKey(code + ".title")
        && ru.containsKey(code + ".detail") && en.containsKey(code + ".detail");
  }

  public java.util.Set<String> codes(String lang) {
    java.util.Set<String> codes = new java.util.TreeSet<>();
    for (String key : ("ru".equals(lang) ? ru : en).stringPropertyNames()) {
      codes.add(key.substring(0, key.lastIndexOf('.')));
    }
    return codes;
  }

  private String text(String key, String lang, List<Object> args) {
    Properties bundle = "ru".equals(lang) ? ru : en;
    String pattern = bundle.getProperty(key);
    if (pattern == null) {
      pattern = en.getProperty(key, key);
    }
    return new MessageFormat(pattern, Locale.ROOT).format(args.toArray());
  }

  /**
   * Picks ru or en from an Accept-Language header by quality and order; English when the
   * header is absent or names neither (API clients are often machines).
   */
  public static String languageOf(String acceptLanguage) {
    if (acceptLanguage == null || acceptLanguage.isBlank()) {
      return "en";
    }
    try {
      for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
        String tag = range.getRange().toLowerCase(Locale.ROOT);
        for (String lang : LANGUAGES) {
          if (tag.equals(lang) || tag.startsWith(lang + "-")) {
            return lang;
          }
        }
      }
    } catch (IllegalArgumentException malformed) {
      // a garbled header is not worth an error of its own
    }
    return "en";
  }
}
