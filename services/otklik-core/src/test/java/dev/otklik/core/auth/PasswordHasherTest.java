package dev.otklik.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  /** Cheap cost for tests; production cost is Argon2Options.DEFAULT. */
  private static final Argon2Options CHEAP = new Argon2Options(64, 1, 1);

  private final PasswordHasher hasher = new PasswordHasher(CHEAP);

  @Test
  @DisplayName("a hash is an Argon2id PHC string that verifies its password and refuses any other")
  void hashVerifiesOnlyItsPassword() {
    String encoded = hasher.hash("Пароль-1 correct horse");

    assertThat(encoded).matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(hasher.verify("Пароль-1 correct horse", encoded)).isTrue();
    assertThat(hasher.verify("Пароль-1 correct hors", encoded)).isFalse();
    assertThat(hasher.verify("", encoded)).isFalse();
  }

  @Test
  @DisplayName("the same password hashes differently each time, because every hash gets its own salt")
  void saltsDiffer() {
    assertThat(hasher.hash("secret")).isNotEqualTo(hasher.hash("secret"));
  }

  @Test
  @DisplayName("a hash from the Argon2 reference implementation verifies, so stored hashes interoperate")
  void referenceVectorVerifies() {
    // From the phc-winner-argon2 test suite: password "password", salt "somesalt", m=65536, t=2, p=1.
    String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    assertThat(hasher.verify("password", reference)).isTrue();
    assertThat(hasher.verify("passwore", reference)).isFalse();
  }

  @Test
  @DisplayName("a hash verifies under the cost it was made with and asks for a rehash when the cost changed")
  void olderCostStillVerifiesAndAsksForRehash() {
    String old = hasher.hash("secret");
    PasswordHasher stronger = new PasswordHasher(new Argon2Options(128, 2, 1));

    assertThat(stronger.verify("secret", old)).isTrue();
    assertThat(stronger.needsRehash(old)).isTrue();
    assertThat(hasher.needsRehash(old)).isFalse();
  }

  @Test
  @DisplayName("a damaged or foreign stored hash is an error, not a silent mismatch, and absurd costs are refused")
  void malformedHashesAreRefused() {
    assertThatThrownBy(() -> hasher.verify("x", "$2a$10$abcdefghijklmnopqrstuu")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> hasher.verify("x", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> hasher.verify("x",
        "$argon2id$v=19$m=9999999,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memory");
    assertThatThrownBy(() -> new Argon2Options(64, 0, 1)).hasMessageContaining("iterations");
  }

  @Test
  @DisplayName("the production cost is at least OWASP's first Argon2id setting (19 MiB, 2 passes); its speed is measured in otklik-bench")
  void productionCostMeetsTheOwaspFloor() {
    assertThat(Argon2Options.DEFAULT.memoryKib()).isGreaterThanOrEqualTo(19 * 1024);
    assertThat(Argon2Options.DEFAULT.iterations()).isGreaterThanOrEqualTo(2);
    String encoded = new PasswordHasher().hash("secret");
    assertThat(encoded).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
  }
}
