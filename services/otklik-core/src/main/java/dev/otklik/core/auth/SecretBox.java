package dev.otklik.core.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Small secrets encrypted at rest (TOTP seeds): AES-256-GCM with a random 96-bit nonce, stored
 * as {@code nonce || ciphertext || tag}. The caller names a {@code context} (e.g. tenant and
 * user id) that is authenticated with the data, so a sealed value copied onto another row does
 * not open there. {@link #keyId()} identifies the key without revealing it, so a row sealed under
 * another key is recognised as such rather than as tampering.
 */
public final class SecretBox {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final String keyId;

  /** @param key 32 bytes */
  public SecretBox(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("an AES-256 key has 32 bytes, not " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.keyId = HexFormat.of().formatHex(Arrays.copyOf(sha256(concat("otklik.key-id:".getBytes(StandardCharsets.UTF_8),
        key)), 6));
  }

  /**
   * A key for one purpose derived from a master secret: HMAC-SHA256(master, "otklik/" + purpose).
   * Different purposes give unrelated keys, so one master (the node's signing secret) can feed
   * several uses without one use's key telling anything about another's.
   */
  public static byte[] derive(byte[] master, String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(master, "HmacSHA256"));
      return mac.doFinal(("otklik/" + purpose).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  }

  /** Twelve hex digits naming the key (a hash of it, not the key). */
  public String keyId() {
    return keyId;
  }

  public byte[] seal(byte[] plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /**
   * The plaintext of a value {@link #seal}ed with this key and {@code context}.
   *
   * @throws IllegalArgumentException when the value was sealed under another key or context, or altered
   */
  public byte[] open(byte[] sealed, String context) {
    if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalArgumentException("not a sealed value");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException("the sealed value does not open with this key and context", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
  }
}
