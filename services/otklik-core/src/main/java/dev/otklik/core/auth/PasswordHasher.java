package dev.otklik.core.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (unpadded standard Base64), the format
 * libargon2, Spring Security and most other tools read. A stored hash carries its own cost, so
 * hashes made under older options still verify; {@link #needsRehash} tells when to upgrade one.
 *
 * <p><b>Blocking:</b> one call takes tens of milliseconds of CPU on purpose. Code on a Vert.x
 * event loop must call it through {@code vertx.executeBlocking(...)}, never directly.
 */
public final class PasswordHasher {

  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

  private final Argon2Options options;
  private final SecureRandom random = new SecureRandom();

  public PasswordHasher(Argon2Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** A hasher with the production cost, {@link Argon2Options#DEFAULT}. */
  public PasswordHasher() {
    this(Argon2Options.DEFAULT);
  }

  /** Hashes a password with a fresh random salt. Blocking. */
  public String hash(CharSequence password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = argon2(password, salt, options, HASH_BYTES);
    return "$argon2id$v=19$m=" + options.memoryKib() + ",t=" + options.iterations() + ",p=" + options.parallelism()
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /**
   * True when {@code password} matches {@code encoded}. The comparison takes the same time
   * wherever the bytes differ. Blocking.
   *
   * @throws IllegalArgumentException if {@code encoded} is not an Argon2id PHC string within the
   *     accepted cost bounds: a damaged stored hash is a fault to see, not a wrong password
   */
  public boolean verify(CharSequence password, String encoded) {
    Parsed parsed = parse(encoded);
    byte[] actual = argon2(password, parsed.salt(), parsed.options(), parsed.hash().length);
    return MessageDigest.isEqual(actual, parsed.hash());
  }

  /** True when {@code encoded} was made under other options than this hasher's: rehash at next login. */
  public boolean needsRehash(String encoded) {
    return !parse(encoded).options().equals(options);
  }

  /**
   * Spends the time of one verification without a stored hash, so a login for an unknown
   * account takes as long as one with a wrong password and does not reveal which e-mails exist.
   */
  public void verifyNothing(CharSequence password) {
    argon2(password, new byte[SALT_BYTES], options, HASH_BYTES);
  }

  private record Parsed(Argon2Options options, byte[] salt, byte[] hash) {}

  private static Parsed parse(String encoded) {
    Matcher m = PHC.matcher(encoded == null ? "" : encoded);
    if (!m.matches()) {
      throw new IllegalArgumentException("not an Argon2id v19 PHC string");
    }
    Argon2Options options = new Argon2Options(
        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    return new Parsed(options, B64_DECODER.decode(m.group(4)), B64_DECODER.decode(m.group(5)));
  }

  private static byte[] argon2(CharSequence password, byte[] salt, Argon2Options options, int length) {
    Objects.requireNonNull(password, "password");
    Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(options.memoryKib())
        .withIterations(options.iterations())
        .withParallelism(options.parallelism())
        .withSalt(salt)
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] secret = utf8(password);
    byte[] out = new byte[length];
    try {
      generator.generateBytes(secret, out);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    return out;
  }

  private static byte[] utf8(CharSequence password) {
    ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    Arrays.fill(buffer.array(), (byte) 0);
    return bytes;
  }
}
