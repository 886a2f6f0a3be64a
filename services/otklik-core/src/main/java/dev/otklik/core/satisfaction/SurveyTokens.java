package dev.otklik.core.satisfaction;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed link of a satisfaction survey: it names the survey, its tenant and when it lapses,
 * and is signed with HMAC-SHA256 under a key of its own, so it works without signing in and
 * cannot be made up or altered.
 *
 * <p>Form: {@code base64url(payload) "." base64url(mac)}, no padding. The payload is a version
 * byte (1), the survey id (16 bytes), the expiry in epoch seconds (8 bytes, big-endian) and the
 * tenant id (UTF-8). The MAC covers the payload bytes. {@link #verify} accepts only the canonical
 * encoding (a changed unused bit of the last character is refused too) and compares MACs in
 * constant time. It does not look at the clock: whether a genuine link has lapsed, or was already
 * used, is the caller's answer (410 and 409 rather than "invalid").
 *
 * <p>The key is derived ({@link #derivedFrom}) from a server secret, so the access-token key is
 * never used as it is for a second purpose: a survey link can never be replayed as a token, nor
 * the other way round.
 */
public final class SurveyTokens {

  /** What a genuine link says. */
  public record Claims(String tenantId, UUID surveyId, Instant expiresAt) {

    public Claims {
      Objects.requireNonNull(tenantId, "tenantId");
      Objects.requireNonNull(surveyId, "surveyId");
      Objects.requireNonNull(expiresAt, "expiresAt");
      if (!TENANT_ID.matcher(tenantId).matches()) {
        throw new IllegalArgumentException("not a tenant id: " + tenantId);
      }
    }
  }

  private static final byte VERSION = 1;
  private static final int FIXED = 1 + 16 + 8;
  private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  /** Longer strings are refused before any decoding. */
  public static final int MAX_LENGTH = 200;
  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] PURPOSE = "otklik satisfaction-survey link key v1".getBytes(StandardCharsets.UTF_8);
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;

  /** Signs with {@code key} as it is: at least 32 bytes. */
  public SurveyTokens(byte[] key) {
    if (key == null || key.length < 32) {
      throw new IllegalArgumentException("a survey link key needs at least 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
  }

  /**
   * A dedicated key derived from a server secret (HMAC-SHA256 of a fixed purpose label under the
   * secret), so links and whatever else the secret signs never share a key.
   */
  public static SurveyTokens derivedFrom(byte[] serverSecret) {
    if (serverSecret == null || serverSecret.length < 32) {
      throw new IllegalArgumentException("the server secret needs at least 32 bytes");
    }
    return new SurveyTokens(mac(new SecretKeySpec(serverSecret, ALGORITHM), PURPOSE));
  }

  public String issue(Claims claims) {
    byte[] tenant = claims.tenantId().getBytes(StandardCharsets.UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(FIXED + tenant.length);
    payload.put(VERSION)
        .putLong(claims.surveyId().getMostSignificantBits()).putLong(claims.surveyId().getLeastSignificantBits())
        .putLong(claims.expiresAt().getEpochSecond())
        .put(tenant);
    byte[] bytes = payload.array();
    return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(mac(key, bytes));
  }

  /** The claims of a genuine link; empty for anything garbled, truncated, altered or signed with another key. */
  public Optional<Claims> verify(String token) {
    if (token == null || token.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      return Optional.empty();
    }
    byte[] payload = decode(token.substring(0, dot));
    byte[] given = decode(token.substring(dot + 1));
    if (payload == null || given == null) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(mac(key, payload), given)) {
      return Optional.empty();
    }
    // Genuine from here on: the shape was written by issue(), still checked rather than trusted.
    if (payload.length <= FIXED || payload[0] != VERSION) {
      return Optional.empty();
    }
    ByteBuffer in = ByteBuffer.wrap(payload, 1, FIXED - 1);
    UUID survey = new UUID(in.getLong(), in.getLong());
    Instant expires = Instant.ofEpochSecond(in.getLong());
    String tenant = new String(Arrays.copyOfRange(payload, FIXED, payload.length), StandardCharsets.UTF_8);
    if (!TENANT_ID.matcher(tenant).matches()) {
      return Optional.empty();
    }
    return Optional.of(new Claims(tenant, survey, expires));
  }

  /** The bytes of a canonical unpadded base64url string, else null. */
  private static byte[] decode(String part) {
    if (part.isEmpty()) {
      return null;
    }
    try {
      byte[] bytes = DECODER.decode(part);
      return ENCODER.encodeToString(bytes).equals(part) ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] mac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
