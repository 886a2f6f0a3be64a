package dev.otklik.api.auth;

import dev.otklik.core.auth.RecoveryCodes;
import dev.otklik.core.auth.SecretBox;
import io.vertx.ext.auth.PubSecKeyOptions;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The node keys of two-factor sign-in, derived (HMAC-SHA256, one label per use) from the
 * access-token signing secret that every node of a cluster already shares ({@code jwt.secret};
 * with RS256, the private key): one seals TOTP seeds at rest ({@link SecretBox}), one keys the
 * recovery-code hashes ({@link RecoveryCodes}). Neither is the signing key itself, nor tells
 * anything about it. Replacing {@code jwt.secret} therefore makes existing enrolments and
 * recovery codes unusable: a tenant admin's reset lets the people affected enrol again.
 *
 * @param seeds         seals and opens TOTP seeds; the context is tenant and user id
 * @param recoveryCodes hashes recovery codes
 */
public record TwoFactorKeys(SecretBox seeds, RecoveryCodes recoveryCodes) {

  /** The keys of {@code jwt}; empty when it holds no secret (a node that only checks RS256 tokens). */
  public static Optional<TwoFactorKeys> from(JwtKeys jwt) {
    String secret = jwt.keys().stream()
        .map(PubSecKeyOptions::getBuffer)
        .map(buffer -> buffer == null ? null : buffer.toString(StandardCharsets.UTF_8))
        .filter(buffer -> buffer != null && ("HS256".equals(jwt.algorithm()) || buffer.contains("PRIVATE KEY")))
        .collect(Collectors.joining("\n"));
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    byte[] master = secret.getBytes(StandardCharsets.UTF_8);
    return Optional.of(new TwoFactorKeys(new SecretBox(SecretBox.derive(master, "totp-seeds")),
        new RecoveryCodes(SecretBox.derive(master, "recovery-codes"))));
  }

  /** The context a seed is sealed under: it opens only on its own account's row. */
  public static String context(String tenantId, java.util.UUID userId) {
    return "totp:" + tenantId + ":" + userId;
  }
}
