package dev.otklik.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing: {@code webhook-signature: v1,<base64 HMAC-SHA256>} over
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, keyed with the base64-decoded part of a
 * {@code whsec_} secret. Several secrets (a rotation) give several signatures, space-separated.
 */
public final class WebhookSigner {

  public static final String PREFIX = "whsec_";
  /** Random bytes in a new secret (the spec asks for 24 to 64). */
  public static final int SECRET_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSigner() {}

  /** A new secret: {@code whsec_} and base64 of 32 random bytes. */
  public static String newSecret() {
    byte[] key = new byte[SECRET_BYTES];
    RANDOM.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** True for a {@code whsec_} secret whose key decodes to 24..64 bytes. */
  public static boolean isValidSecret(String secret) {
    if (secret == null || !secret.startsWith(PREFIX)) {
      return false;
    }
    try {
      int n = Base64.getDecoder().decode(secret.substring(PREFIX.length())).length;
      return n >= 24 && n <= 64;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** One {@code v1,<base64>} signature. */
  public static String sign(String secret, String id, long timestampSeconds, byte[] body) {
    if (!isValidSecret(secret)) {
      throw new IllegalArgumentException("not a whsec_ secret of 24 to 64 bytes");
    }
    byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The header value for every secret in turn (current first), space-separated. */
  public static String signatures(List<String> secrets, String id, long timestampSeconds, byte[] body) {
    StringBuilder out = new StringBuilder();
    for (String s : secrets) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(sign(s, id, timestampSeconds, body));
    }
    return out.toString();
  }
}
