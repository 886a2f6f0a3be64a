package dev.otklik.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otklik.core.auth.Totp.Algorithm;
import dev.otklik.core.auth.Totp.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpTest {

  /** The seeds of RFC 6238 Appendix B: the ASCII digits repeated to the HMAC's output length. */
  private static byte[] seed(Algorithm algorithm) {
    return switch (algorithm) {
      case SHA1 -> "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
      case SHA256 -> "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
      case SHA512 -> "1234567890123456789012345678901234567890123456789012345678901234"
          .getBytes(StandardCharsets.US_ASCII);
    };
  }

  @ParameterizedTest(name = "{1} at {0} s is {2} (step {3})")
  @DisplayName("every test vector of RFC 6238 Appendix B: SHA1, SHA256 and SHA512, 8 digits, 30 s steps")
  @CsvSource({
      "59,          SHA1,   94287082, 0000000000000001",
      "59,          SHA256, 46119246, 0000000000000001",
      "59,          SHA512, 90693936, 0000000000000001",
      "1111111109,  SHA1,   07081804, 00000000023523EC",
      "1111111109,  SHA256, 68084774, 00000000023523EC",
      "1111111109,  SHA512, 25091201, 00000000023523EC",
      "1111111111,  SHA1,   14050471, 00000000023523ED",
      "1111111111,  SHA256, 67062674, 00000000023523ED",
      "1111111111,  SHA512, 99943326, 00000000023523ED",
      "1234567890,  SHA1,   89005924, 000000000273EF07",
      "1234567890,  SHA256, 91819424, 000000000273EF07",
      "1234567890,  SHA512, 93441116, 000000000273EF07",
      "2000000000,  SHA1,   69279037, 0000000003F940AA",
      "2000000000,  SHA256, 90698825, 0000000003F940AA",
      "2000000000,  SHA512, 38618901, 0000000003F940AA",
      "20000000000, SHA1,   65353130, 0000000027BC86AA",
      "20000000000, SHA256, 77737706, 0000000027BC86AA",
      "20000000000, SHA512, 47863826, 0000000027BC86AA",
  })
  void rfc6238AppendixB(long unixSeconds, Algorithm algorithm, String expected, String stepHex) {
    Totp totp = new Totp(algorithm, 8, Duration.ofSeconds(30));
    Instant at = Instant.ofEpochSecond(unixSeconds);

    assertThat(totp.step(at)).isEqualTo(Long.parseLong(stepHex, 16));
    assertThat(totp.codeAt(seed(algorithm), at)).isEqualTo(expected);
    assertThat(totp.verify(seed(algorithm), expected, at)).isEqualTo(new Totp.Check(Outcome.ACCEPTED, totp.step(at)));
  }

  @Test
  @DisplayName("six digits are the last six of the same HOTP value, leading zeros kept")
  void sixDigits() {
    Totp totp = new Totp(Algorithm.SHA1, 6, Duration.ofSeconds(30));
    assertThat(totp.codeAt(seed(Algorithm.SHA1), Instant.ofEpochSecond(59))).isEqualTo("287082");
    assertThat(totp.codeAt(seed(Algorithm.SHA1), Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
    assertThat(Totp.standard().codeAt(seed(Algorithm.SHA1), Instant.ofEpochSecond(1234567890))).isEqualTo("005924");
  }

  @Test
  @DisplayName("the codes of one step either side are accepted and report their own step; two steps off are not")
  void windowOfOneStep() {
    Totp totp = Totp.standard();
    byte[] secret = seed(Algorithm.SHA1);
    Instant now = Instant.ofEpochSecond(1_700_000_015L);
    long step = totp.step(now);

    assertThat(totp.verify(secret, totp.code(secret, step - 1), now)).isEqualTo(new Totp.Check(Outcome.ACCEPTED, step - 1));
    assertThat(totp.verify(secret, totp.code(secret, step), now)).isEqualTo(new Totp.Check(Outcome.ACCEPTED, step));
    assertThat(totp.verify(secret, totp.code(secret, step + 1), now)).isEqualTo(new Totp.Check(Outcome.ACCEPTED, step + 1));
    assertThat(totp.verify(secret, totp.code(secret, step - 2), now).outcome()).isEqualTo(Outcome.WRONG);
    assertThat(totp.verify(secret, totp.code(secret, step + 2), now).outcome()).isEqualTo(Outcome.WRONG);
  }

  @Test
  @DisplayName("a code is never accepted twice: its step and every earlier one count as used")
  void reuseIsRefused() {
    Totp totp = Totp.standard();
    byte[] secret = totp.newSecret();
    Instant now = Instant.ofEpochSecond(1_700_000_015L);
    String code = totp.codeAt(secret, now);
    Totp.Check first = totp.verify(secret, code, now);

    assertThat(first.accepted()).isTrue();
    assertThat(totp.verify(secret, code, now, first.step()).outcome()).isEqualTo(Outcome.REUSED);
    assertThat(totp.verify(secret, code, now.plusSeconds(30), first.step()).outcome())
        .as("still in the window a step later, still used").isEqualTo(Outcome.REUSED);
    assertThat(totp.verify(secret, totp.code(secret, first.step() - 1), now, first.step()).outcome())
        .as("an older code after a newer one").isEqualTo(Outcome.REUSED);
    assertThat(totp.verify(secret, totp.code(secret, first.step() + 1), now, first.step()))
        .isEqualTo(new Totp.Check(Outcome.ACCEPTED, first.step() + 1));
  }

  @Test
  @DisplayName("input that is not a code of the right length is wrong, spaces between digits are fine")
  void malformedInput() {
    Totp totp = Totp.standard();
    byte[] secret = totp.newSecret();
    Instant now = Instant.ofEpochSecond(1_700_000_015L);
    String code = totp.codeAt(secret, now);

    assertThat(totp.verify(secret, code.substring(0, 3) + " " + code.substring(3), now).accepted()).isTrue();
    assertThat(totp.verify(secret, code.substring(1), now).outcome()).isEqualTo(Outcome.WRONG);
    assertThat(totp.verify(secret, code + "0", now).outcome()).isEqualTo(Outcome.WRONG);
    assertThat(totp.verify(secret, "abcdef", now).outcome()).isEqualTo(Outcome.WRONG);
    assertThat(totp.verify(secret, null, now).outcome()).isEqualTo(Outcome.WRONG);
  }

  @Test
  @DisplayName("new secrets are random and as long as the HMAC output")
  void secrets() {
    assertThat(new Totp(Algorithm.SHA1, 6, Totp.DEFAULT_PERIOD).newSecret()).hasSize(20);
    assertThat(new Totp(Algorithm.SHA256, 6, Totp.DEFAULT_PERIOD).newSecret()).hasSize(32);
    assertThat(new Totp(Algorithm.SHA512, 8, Totp.DEFAULT_PERIOD).newSecret()).hasSize(64);
    assertThat(Totp.standard().newSecret()).isNotEqualTo(Totp.standard().newSecret());
  }

  @Test
  @DisplayName("the otpauth URI names issuer and account percent-encoded, the secret in unpadded Base32")
  void otpauthUri() {
    byte[] secret = seed(Algorithm.SHA1);
    assertThat(Totp.standard().uri("АСМО Desk", "ivan@inform.example", secret)).isEqualTo(
        "otpauth://totp/%D0%90%D0%A1%D0%9C%D0%9E%20Desk:ivan@inform.example"
            + "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=%D0%90%D0%A1%D0%9C%D0%9E%20Desk"
            + "&algorithm=SHA1&digits=6&period=30");
    assertThat(new Totp(Algorithm.SHA256, 8, Duration.ofSeconds(60)).uri("A:B & C", "x+y@z.ru", secret))
        .startsWith("otpauth://totp/A%20B%20%26%20C:x%2By@z.ru?")
        .endsWith("&issuer=A%20B%20%26%20C&algorithm=SHA256&digits=8&period=60");
  }

  @Test
  @DisplayName("digits outside 6-8 and periods that are not whole positive seconds are refused")
  void parameterBounds() {
    assertThatThrownBy(() -> new Totp(Algorithm.SHA1, 5, Totp.DEFAULT_PERIOD)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Totp(Algorithm.SHA1, 9, Totp.DEFAULT_PERIOD)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Totp(Algorithm.SHA1, 6, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Totp(Algorithm.SHA1, 6, Duration.ofMillis(1500))).isInstanceOf(IllegalArgumentException.class);
  }
}
