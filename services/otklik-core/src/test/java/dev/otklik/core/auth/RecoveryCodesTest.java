package dev.otklik.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RecoveryCodesTest {

  private final RecoveryCodes codes = new RecoveryCodes(SecretBox.derive("node-secret-of-enough-length-0123".getBytes(),
      "recovery-codes"));

  @Test
  @DisplayName("ten distinct codes shaped xxxx-xxxx from an alphabet without look-alikes")
  void generated() {
    List<String> generated = RecoveryCodes.generate();
    assertThat(generated).hasSize(RecoveryCodes.COUNT).doesNotHaveDuplicates();
    assertThat(generated).allMatch(c -> c.matches("[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}"));
    assertThat(new HashSet<>(RecoveryCodes.generate())).isNotEqualTo(new HashSet<>(generated));
  }

  @Test
  @DisplayName("the hash ignores case, spaces and hyphens, and differs per user, per tenant and per key")
  void hashes() {
    String code = RecoveryCodes.generate().get(0);
    String hash = codes.hash("asmo", "u1", code);

    assertThat(hash).hasSize(64).isEqualTo(codes.hash("asmo", "u1", " " + code.toUpperCase().replace("-", " ")));
    assertThat(codes.hash("asmo", "u2", code)).isNotEqualTo(hash);
    assertThat(codes.hash("imc", "u1", code)).isNotEqualTo(hash);
    assertThat(new RecoveryCodes(new byte[32]).hash("asmo", "u1", code)).isNotEqualTo(hash);
    assertThat(codes.hash("asmo", "u1", "0000-0000")).as("not from the alphabet").isNull();
    assertThat(codes.hash("asmo", "u1", "abc")).isNull();
  }
}
