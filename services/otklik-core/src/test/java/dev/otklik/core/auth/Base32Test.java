package dev.otklik.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Base32Test {

  @ParameterizedTest(name = "\"{0}\" <-> \"{1}\"")
  @DisplayName("the test vectors of RFC 4648 section 10 encode and decode")
  @CsvSource(value = {
      "'',       ''",
      "f,        MY======",
      "fo,       MZXQ====",
      "foo,      MZXW6===",
      "foob,     MZXW6YQ=",
      "fooba,    MZXW6YTB",
      "foobar,   MZXW6YTBOI======",
  })
  void rfc4648Vectors(String text, String base32) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    assertThat(Base32.encode(bytes)).isEqualTo(base32);
    assertThat(Base32.decode(base32)).isEqualTo(bytes);
    assertThat(Base32.encodeUnpadded(bytes)).isEqualTo(base32.replace("=", ""));
    assertThat(Base32.decode(base32.replace("=", "").toLowerCase())).isEqualTo(bytes);
  }

  @Test
  @DisplayName("random bytes survive the round trip, with spaces and hyphens as people type them")
  void roundTrip() {
    SecureRandom random = new SecureRandom();
    for (int length = 0; length < 70; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      String encoded = Base32.encodeUnpadded(bytes);
      String grouped = encoded.replaceAll("(.{4})", "$1 ").replaceFirst("(.{3})", "$1-");
      assertThat(Base32.decode(grouped)).isEqualTo(bytes);
    }
  }

  @Test
  @DisplayName("characters outside the alphabet and impossible lengths are refused")
  void invalid() {
    assertThatThrownBy(() -> Base32.decode("MZXW1===")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base32.decode("MZ0W")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base32.decode("M")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base32.decode("MZX")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base32.decode("ЖЖЖЖ")).isInstanceOf(IllegalArgumentException.class);
  }
}
