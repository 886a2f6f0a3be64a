package dev.otklik.core.satisfaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otklik.core.tenant.WorkflowStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SurveyTokensTest {

  static final SurveyTokens TOKENS = SurveyTokens.derivedFrom(
      "a-server-secret-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.UTF_8));
  static final SurveyTokens.Claims CLAIMS = new SurveyTokens.Claims("asmo", UUID.randomUUID(),
      Instant.parse("2026-06-17T10:00:00Z"));

  @Test
  @DisplayName("a link says back the survey, tenant and expiry it was issued for, and fits in a URL path")
  void roundTrip() {
    String token = TOKENS.issue(CLAIMS);
    assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+").hasSizeLessThan(SurveyTokens.MAX_LENGTH);
    assertThat(TOKENS.verify(token)).contains(CLAIMS);
  }

  @Test
  @DisplayName("every single changed character, a truncation, a swapped signature or another key is refused")
  void tamperingIsRefused() {
    String token = TOKENS.issue(CLAIMS);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < token.length(); i++) {
      if (token.charAt(i) == '.') {
        continue;
      }
      for (char c : alphabet.toCharArray()) {
        if (c == token.charAt(i)) {
          continue;
        }
        String changed = token.substring(0, i) + c + token.substring(i + 1);
        assertThat(TOKENS.verify(changed)).as("char %d -> %s", i, c).isEmpty();
      }
    }
    for (int cut = 0; cut < token.length(); cut++) {
      assertThat(TOKENS.verify(token.substring(0, cut))).as("first %d chars", cut).isEmpty();
    }
    String other = TOKENS.issue(new SurveyTokens.Claims("asmo", UUID.randomUUID(), CLAIMS.expiresAt()));
    String swapped = other.substring(0, other.indexOf('.')) + token.substring(token.indexOf('.'));
    assertThat(TOKENS.verify(swapped)).as("another survey's id with this signature").isEmpty();
    String later = TOKENS.issue(new SurveyTokens.Claims("asmo", CLAIMS.surveyId(), CLAIMS.expiresAt().plusSeconds(86_400)));
    assertThat(TOKENS.verify(later.substring(0, later.indexOf('.')) + token.substring(token.indexOf('.'))))
        .as("a later expiry with this signature").isEmpty();
    SurveyTokens otherKey = SurveyTokens.derivedFrom("another-server-secret-of-thirty-two-bytes!"
        .getBytes(StandardCharsets.UTF_8));
    assertThat(otherKey.verify(token)).isEmpty();
    assertThat(TOKENS.verify(token + "=")).isEmpty();
    assertThat(TOKENS.verify(token + ".x")).isEmpty();
    assertThat(TOKENS.verify("")).isEmpty();
    assertThat(TOKENS.verify(null)).isEmpty();
    assertThat(TOKENS.verify("x".repeat(5000))).isEmpty();
    assertThat(TOKENS.verify("%%%.%%%")).isEmpty();
  }

  @Test
  @DisplayName("the link key is derived from the server secret, not the secret itself")
  void keyIsDerived() {
    byte[] secret = "a-server-secret-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.UTF_8);
    SurveyTokens raw = new SurveyTokens(secret);
    assertThat(raw.verify(TOKENS.issue(CLAIMS))).isEmpty();
    assertThatThrownBy(() -> SurveyTokens.derivedFrom("short".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SurveyTokens.Claims("Not A Tenant", UUID.randomUUID(), Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
    // the payload is not secret (it names the survey), only unforgeable
    String token = TOKENS.issue(CLAIMS);
    byte[] payload = Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.')));
    assertThat(new String(payload, StandardCharsets.UTF_8)).endsWith("asmo");
  }

  @Test
  @DisplayName("a survey goes out when a request becomes accepted or closed, once per closing; never on cancel")
  void closings() {
    assertThat(Surveys.closes(WorkflowStatus.SOLUTION_PROPOSED, WorkflowStatus.ACCEPTED)).isTrue();
    assertThat(Surveys.closes(WorkflowStatus.IN_PROGRESS, WorkflowStatus.CLOSED)).isTrue();
    assertThat(Surveys.closes(WorkflowStatus.NEW, WorkflowStatus.CLOSED_BY_TIMEOUT)).isTrue();
    assertThat(Surveys.closes(WorkflowStatus.ACCEPTED, WorkflowStatus.CLOSED)).as("the same closing").isFalse();
    assertThat(Surveys.closes(WorkflowStatus.NEW, WorkflowStatus.CANCELLED)).isFalse();
    assertThat(Surveys.closes(WorkflowStatus.CLOSED, WorkflowStatus.RETURNED_FOR_REWORK)).isFalse();
  }
}
