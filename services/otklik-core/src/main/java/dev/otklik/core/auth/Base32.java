package dev.otklik.core.auth;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Base32 of RFC 4648, section 6 (alphabet {@code A-Z2-7}): how TOTP secrets are shown to people
 * and put into {@code otpauth://} URIs. Encoding pads with {@code =} as the RFC says; the
 * authenticator apps want the secret unpadded, which {@link #encodeUnpadded} gives. Decoding
 * accepts either, in any case, and ignores spaces and hyphens (people type secrets in groups).
 */
public final class Base32 {

  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final int[] VALUES = new int[128];

  static {
    java.util.Arrays.fill(VALUES, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      VALUES[ALPHABET[i]] = i;
    }
  }

  private Base32() {}

  /** With {@code =} padding to a multiple of eight characters (RFC 4648). */
  public static String encode(byte[] data) {
    StringBuilder out = new StringBuilder(encodeUnpadded(data));
    while (out.length() % 8 != 0) {
      out.append('=');
    }
    return out.toString();
  }

  /** Without padding, as {@code otpauth://} URIs carry it. */
  public static String encodeUnpadded(byte[] data) {
    StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
    }
    return out.toString();
  }

  /**
   * The bytes of a Base32 text; padding optional, case ignored, spaces and hyphens skipped.
   *
   * @throws IllegalArgumentException for a character outside the alphabet, padding before the
   *     end, or a length no encoder produces
   */
  public static byte[] decode(String text) {
    String clean = text.replace(" ", "").replace("-", "").toUpperCase(Locale.ROOT);
    int end = clean.length();
    while (end > 0 && clean.charAt(end - 1) == '=') {
      end--;
    }
    int tail = end % 8;
    if (tail == 1 || tail == 3 || tail == 6) {
      throw new IllegalArgumentException("not Base32: a length of " + end + " symbols encodes no whole bytes");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(end * 5 / 8);
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < end; i++) {
      char c = clean.charAt(i);
      int value = c < 128 ? VALUES[c] : -1;
      if (value < 0) {
        throw new IllegalArgumentException("not Base32: '" + c + "' at " + i);
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }
}
