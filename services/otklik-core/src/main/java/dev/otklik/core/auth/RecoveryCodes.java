package dev.otklik.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Single-use recovery codes for a lost authenticator: {@link #COUNT} random codes shaped
 * {@code xxxx-xxxx} from an alphabet without look-alikes (no {@code 0 o 1 l i}), about 40 bits
 * each. Only a keyed hash is stored: HMAC-SHA256 under a node key, over tenant, user and code.
 * The codes are random, so a slow password hash would add nothing; the key means a copy of the
 * table alone is not enough to search the 31^8 codes offline, and binding the user means a hash
 * is worthless on another account. Input is normalised (case, spaces and hyphens ignored).
 */
public final class RecoveryCodes {

  public static final int COUNT = 10;
  static final String ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";
  private static final int LENGTH = 8;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  /** @param key the HMAC key, at least 32 bytes */
  public RecoveryCodes(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("the recovery-code key needs at least 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  /** {@link #COUNT} new codes, distinct, as shown to the person ({@code k7m2-x9qp}). */
  public static List<String> generate() {
    List<String> codes = new ArrayList<>(COUNT);
    while (codes.size() < COUNT) {
      StringBuilder code = new StringBuilder(LENGTH + 1);
      for (int i = 0; i < LENGTH; i++) {
        if (i == LENGTH / 2) {
          code.append('-');
        }
        code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
      }
      if (!codes.contains(code.toString())) {
        codes.add(code.toString());
      }
    }
    return List.copyOf(codes);
  }

  /** The code without case, spaces and hyphens; null when it cannot be a recovery code. */
  public static String normalise(String input) {
    if (input == null) {
      return null;
    }
    String clean = input.replace(" ", "").replace("-", "").toLowerCase(Locale.ROOT);
    if (clean.length() != LENGTH) {
      return null;
    }
    for (int i = 0; i < clean.length(); i++) {
      if (ALPHABET.indexOf(clean.charAt(i)) < 0) {
        return null;
      }
    }
    return clean;
  }

  /** The stored form of a code (hex); null when the input cannot be a recovery code. */
  public String hash(String tenantId, String userId, String code) {
    String normalised = normalise(code);
    if (normalised == null) {
      return null;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(
          (tenantId + "\n" + userId + "\n" + normalised).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  }
}
