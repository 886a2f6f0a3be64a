package dev.otklik.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

  @Test
  @DisplayName("the signature matches the Standard Webhooks reference example")
  void signatureMatchesReferenceVector() {
    String sig = WebhookSigner.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330L, "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
    assertThat(sig).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  @DisplayName("a new secret is whsec_ with 32 random bytes, and two secrets give two space-separated signatures")
  void newSecretsAndRotation() {
    String a = WebhookSigner.newSecret();
    String b = WebhookSigner.newSecret();
    assertThat(a).startsWith("whsec_").isNotEqualTo(b);
    assertThat(Base64.getDecoder().decode(a.substring(6))).hasSize(32);
    assertThat(WebhookSigner.isValidSecret(a)).isTrue();
    assertThat(WebhookSigner.isValidSecret("whsec_c2hvcnQ=")).isFalse();
    assertThat(WebhookSigner.isValidSecret("plain-text-secret")).isFalse();
    String both = WebhookSigner.signatures(List.of(a, b), "id", 1, "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(both.split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
  }
}
