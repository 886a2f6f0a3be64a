package dev.otklik.core.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords, RFC 6238: HOTP (RFC 4226) over the number of whole periods
 * since the Unix epoch (T0 = 0), with HMAC-SHA1, -SHA256 or -SHA512 and 6 to 8 digits. What the
 * authenticator apps implement; the defaults (SHA1, 6 digits, 30 s) are the ones every app reads.
 *
 * <p>{@link #verify} accepts the code of the current step and of one step either side (clock
 * drift between the phone and the server, and the time it takes to type), and only a step after
 * the last one the account used: a code seen once is never accepted again, so the caller stores
 * the step it gets back. Codes are compared in constant time.
 *
 * <p>Plain CPU work of a few microseconds: fine on an event loop.
 */
public final class Totp {

  /** The HMAC of RFC 6238, named as {@code otpauth://} URIs name it. */
  public enum Algorithm {
    SHA1("HmacSHA1", 20),
    SHA256("HmacSHA256", 32),
    SHA512("HmacSHA512", 64);

    private final String jca;
    private final int keyBytes;

    Algorithm(String jca, int keyBytes) {
      this.jca = jca;
      this.keyBytes = keyBytes;
    }

    /** The key length RFC 4226 recommends for this HMAC: its output length. */
    public int keyBytes() {
      return keyBytes;
    }

    public static Algorithm of(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  /** What {@link #verify} found. */
  public enum Outcome {
    /** The code of a step in the window that was not used before: {@link Check#step()} is it. */
    ACCEPTED,
    /** The code of a step already used (a replay, or the same code typed twice). */
    REUSED,
    /** No step in the window has this code, or the input is not a code at all. */
    WRONG
  }

  /** The result of a check; {@code step} is the accepted time step, or -1 when none was accepted. */
  public record Check(Outcome outcome, long step) {

    public boolean accepted() {
      return outcome == Outcome.ACCEPTED;
    }
  }

  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(30);
  /** Steps accepted either side of the current one. */
  public static final int WINDOW = 1;
  private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Algorithm algorithm;
  private final int digits;
  private final long periodSeconds;

  public Totp(Algorithm algorithm, int digits, Duration period) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    if (digits < 6 || digits > 8) {
      throw new IllegalArgumentException("a TOTP code has 6 to 8 digits, not " + digits);
    }
    if (period.isNegative() || period.isZero() || period.getNano() != 0) {
      throw new IllegalArgumentException("a TOTP period is a positive whole number of seconds, not " + period);
    }
    this.digits = digits;
    this.periodSeconds = period.getSeconds();
  }

  /** SHA1, 6 digits, 30 seconds: what every authenticator app reads. */
  public static Totp standard() {
    return new Totp(Algorithm.SHA1, 6, DEFAULT_PERIOD);
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  public int digits() {
    return digits;
  }

  public Duration period() {
    return Duration.ofSeconds(periodSeconds);
  }

  /** A new random secret of the length RFC 4226 recommends for the algorithm. */
  public byte[] newSecret() {
    byte[] secret = new byte[algorithm.keyBytes()];
    RANDOM.nextBytes(secret);
    return secret;
  }

  /** The time step {@code at} falls into: whole periods since the epoch. */
  public long step(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), periodSeconds);
  }

  /** The code at {@code at}, zero-padded to {@link #digits()}. */
  public String codeAt(byte[] secret, Instant at) {
    return code(secret, step(at));
  }

  /** The code of time step {@code step} (HOTP with the step as counter), zero-padded. */
  public String code(byte[] secret, long step) {
    byte[] hash = hmac(secret, ByteBuffer.allocate(8).putLong(step).array());
    int offset = hash[hash.length - 1] & 0x0f;
    int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
        | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
    String code = Integer.toString(binary % POWERS[digits]);
    return "0".repeat(digits - code.length()) + code;
  }

  /** As {@link #verify(byte[], String, Instant, long)} for an account that never used a code. */
  public Check verify(byte[] secret, String code, Instant now) {
    return verify(secret, code, now, Long.MIN_VALUE);
  }

  /**
   * Checks {@code code} against the steps from {@link #WINDOW} before to {@link #WINDOW} after
   * the current one. Spaces in the input are ignored ("123 456"). Every step of the window is
   * computed and compared, whatever matches, so the time taken does not depend on the code.
   *
   * @param lastUsedStep the step of the last code the account used ({@code Long.MIN_VALUE}: none);
   *                     it and every earlier step are refused as {@link Outcome#REUSED}
   */
  public Check verify(byte[] secret, String code, Instant now, long lastUsedStep) {
    String given = code == null ? "" : code.replace(" ", "");
    boolean wellFormed = given.length() == digits && given.chars().allMatch(c -> c >= '0' && c <= '9');
    byte[] givenBytes = (wellFormed ? given : "x".repeat(digits)).getBytes(StandardCharsets.US_ASCII);
    long current = step(now);
    long accepted = Long.MIN_VALUE;
    boolean reused = false;
    for (long s = current - WINDOW; s <= current + WINDOW; s++) {
      boolean match = MessageDigest.isEqual(code(secret, s).getBytes(StandardCharsets.US_ASCII), givenBytes);
      if (match && s > lastUsedStep) {
        accepted = Math.max(accepted, s);
      } else if (match) {
        reused = true;
      }
    }
    if (wellFormed && accepted != Long.MIN_VALUE) {
      return new Check(Outcome.ACCEPTED, accepted);
    }
    return new Check(wellFormed && reused ? Outcome.REUSED : Outcome.WRONG, -1);
  }

  /**
   * The Key URI of the authenticator apps:
   * {@code otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30},
   * issuer and account percent-encoded (UTF-8), the secret in unpadded Base32. A colon in the
   * issuer would split the label, so it becomes a space.
   */
  public String uri(String issuer, String account, byte[] secret) {
    String cleanIssuer = issuer.replace(':', ' ').strip();
    return "otpauth://totp/" + percent(cleanIssuer) + ":" + percent(account.strip())
        + "?secret=" + Base32.encodeUnpadded(secret)
        + "&issuer=" + percent(cleanIssuer)
        + "&algorithm=" + algorithm.name()
        + "&digits=" + digits
        + "&period=" + periodSeconds;
  }

  /** RFC 3986 percent-encoding of UTF-8, keeping the unreserved characters and {@code @}. */
  static String percent(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance(algorithm.jca);
      mac.init(new SecretKeySpec(key, "RAW"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm.jca, e);
    }
  }
}
