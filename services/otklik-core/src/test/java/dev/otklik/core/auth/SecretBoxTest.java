package dev.otklik.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

  private static final byte[] MASTER = "a-node-signing-secret-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);

  @Test
  @DisplayName("a sealed secret opens with the same key and context only, and never shows the plaintext")
  void sealAndOpen() {
    SecretBox box = new SecretBox(SecretBox.derive(MASTER, "totp-secrets"));
    byte[] secret = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    byte[] sealed = box.seal(secret, "asmo/user-1");

    assertThat(sealed).hasSize(12 + 20 + 16);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("1234567890");
    assertThat(box.seal(secret, "asmo/user-1")).as("a fresh nonce each time").isNotEqualTo(sealed);
    assertThat(box.open(sealed, "asmo/user-1")).isEqualTo(secret);
    assertThatThrownBy(() -> box.open(sealed, "asmo/user-2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SecretBox(SecretBox.derive(MASTER, "other")).open(sealed, "asmo/user-1"))
        .isInstanceOf(IllegalArgumentException.class);
    sealed[20] ^= 1;
    assertThatThrownBy(() -> box.open(sealed, "asmo/user-1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("derived keys differ per purpose and the key id names a key without being it")
  void derivation() {
    byte[] a = SecretBox.derive(MASTER, "totp-secrets");
    assertThat(a).hasSize(32).isNotEqualTo(SecretBox.derive(MASTER, "recovery-codes"));
    assertThat(new SecretBox(a).keyId()).hasSize(12).isEqualTo(new SecretBox(a.clone()).keyId())
        .isNotEqualTo(new SecretBox(SecretBox.derive(MASTER, "recovery-codes")).keyId());
  }
}
