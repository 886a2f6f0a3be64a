package dev.otklik.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access-token key. A configured {@code jwt.secret} wins. Otherwise a single node generates
 * one into its data directory and reuses it, so tokens survive a restart; a cluster must
 * configure one shared secret, or nodes would refuse each other's tokens.
 */
final class JwtSecrets {

  private static final Logger LOG = LoggerFactory.getLogger(JwtSecrets.class);

  private JwtSecrets() {}

  static String secret(AppOptions options) throws IOException {
    if (options.jwtSecret() != null) {
      return options.jwtSecret();
    }
    if (options.clustered()) {
      throw new IllegalStateException("a clustered node needs jwt.secret (OTKLIK_JWT_SECRET), shared by every node");
    }
    Path file = options.dataDir().resolve("jwt-secret");
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
    byte[] key = new byte[48];
    new SecureRandom().nextBytes(key);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    Files.createDirectories(options.dataDir());
    Files.writeString(file, secret, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    LOG.info("Generated an access-token key in {} (set jwt.secret to share one across nodes)", file);
    return secret;
  }
}
