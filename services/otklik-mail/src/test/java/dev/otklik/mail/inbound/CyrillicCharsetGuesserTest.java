package dev.otklik.mail.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

@DisplayName("CyrillicCharsetGuesser")
class CyrillicCharsetGuesserTest {

  private static final String RUSSIAN = "Не удаётся сформировать отчёт по заявкам за прошлый месяц";

  @ParameterizedTest(name = "{0} bytes labelled {1} are read as {0}")
  @CsvSource({
    "windows-1251, KOI8-R", "KOI8-R, windows-1251", "UTF-8, windows-1251", "windows-1251, UTF-8",
    "KOI8-R, UTF-8", "UTF-8, KOI8-R", "windows-1251, ''", "KOI8-R, ''", "UTF-8, ''", "windows-1251, us-ascii",
    "windows-1251, ISO-8859-1"
  })
  @DisplayName("recovers Russian text from a wrong or missing label")
  void wrongLabelsAreOverruled(String actual, String label) {
    byte[] bytes = RUSSIAN.getBytes(Charset.forName(actual));
    CyrillicCharsetGuesser.Decoded decoded = CyrillicCharsetGuesser.decode(bytes, label);

    assertThat(decoded.text()).isEqualTo(RUSSIAN);
    assertThat(decoded.charset()).isEqualTo(Charset.forName(actual));
  }

  @Test
  @DisplayName("trusts a Latin-1 label on Western text with a few accents")
  void westernTextKeepsItsLabel() {
    String german = "Grüße aus München, die Lösung funktioniert.";
    CyrillicCharsetGuesser.Decoded decoded =
        CyrillicCharsetGuesser.decode(german.getBytes(StandardCharsets.ISO_8859_1), "ISO-8859-1");

    assertThat(decoded.text()).isEqualTo(german);
    assertThat(decoded.guessed()).isFalse();
  }

  @Test
  @DisplayName("understands charset aliases that clients write, such as cp-1251")
  void clientAliasesAreUnderstood() {
    CyrillicCharsetGuesser.Decoded decoded =
        CyrillicCharsetGuesser.decode(RUSSIAN.getBytes(Charset.forName("windows-1251")), "cp-1251");

    assertThat(decoded.text()).isEqualTo(RUSSIAN);
    assertThat(decoded.guessed()).isFalse();
  }
}
