package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.core.satisfaction.SatisfactionReport;
import dev.otklik.core.satisfaction.SurveyTokens;
import dev.otklik.core.sla.SlaClocks;
import dev.otklik.core.tenant.ClockStart;
import dev.otklik.core.tenant.ClockStop;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.TimerAction;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.core.tenant.WorkflowTimer;
import dev.otklik.core.time.DeadlineCalculator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Satisfaction surveys (V020): written with the closing, answered once, counted in the report. */
class SurveyStoreTest {

  static final TenantTransactions tx = TestDatabase.transactions();
  static final SurveyTokens TOKENS = SurveyTokens.derivedFrom(
      "a-survey-store-test-secret-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8));
  /** Tenants that run a survey (14-day links); every other test tenant runs none. */
  static final Set<String> SURVEYING = ConcurrentHashMap.newKeySet();
  static final Pattern LINK = Pattern.compile("https://desk\\.example/t/([a-z0-9-]+)/#/survey/([A-Za-z0-9_.-]+)");
  static final WorkflowTimer FORM_NOT_RECEIVED = new WorkflowTimer("form-not-received", ClockStart.REGISTERED,
      Optional.of(ClockStop.FORM_RECEIVED), SlaDuration.parse("8 clock-hours"), TimerAction.CLOSE_BY_TIMEOUT,
      Optional.empty());

  /** A desk whose stores write surveys for tenants in {@link #SURVEYING}. */
  static final class Desk {
    final SlaDesk d = new SlaDesk(tx);
    final SurveyStore surveys = new SurveyStore(tx, d.clock,
        id -> SURVEYING.contains(id) ? Optional.of(new SurveyStore.Settings(Duration.ofDays(14), TestSla.MOSCOW))
            : Optional.empty(), TOKENS, "https://desk.example");
    final TicketStore store = new TicketStore(tx, d.clock, surveys);

    Desk(boolean surveying) {
      if (surveying) {
        SURVEYING.add(d.tenantId);
      }
    }

    Ticket file() {
      return store.create(d.tenantId, d.customer, d.request("error", "urgent"), TestSla.clocks()).await().value();
    }

    Ticket move(TicketStore.Caller who, Ticket t, String action, WorkflowStatus to) {
      return store.transition(d.tenantId, who, t.number(), action, current -> to, TestSla.clocks()).await().value();
    }

    Ticket close(Ticket t) {
      return move(d.agent, t, "close", WorkflowStatus.CLOSED);
    }
  }

  static List<List<Object>> rows(String sql, Object parameter) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = TestDatabase.superuserConnection(); PreparedStatement q = c.prepareStatement(sql)) {
      q.setObject(1, parameter);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.add(rs.getObject(i));
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  static List<List<Object>> surveys(String tenantId) throws Exception {
    return rows("SELECT id, ticket_id, recipient_id, closed_status, withdrawn_at IS NOT NULL, answered_at IS NOT NULL,"
        + " rating, comment, answered_via, expires_at - created_at FROM satisfaction_survey WHERE tenant_id = ?"
        + " ORDER BY created_at, id", tenantId);
  }

  static List<JsonObject> surveyMails(String tenantId) throws Exception {
    List<JsonObject> out = new ArrayList<>();
    for (List<Object> r : rows("SELECT payload::text FROM mail_outbox WHERE tenant_id = ? AND kind = 'satisfaction-survey'"
        + " ORDER BY created_at", tenantId)) {
      out.add(new JsonObject((String) r.get(0)));
    }
    return out;
  }

  @Test
  @DisplayName("closing writes exactly one survey for the requester and one mail whose link names it, signed")
  void closingWritesOneSurveyAndItsMail() throws Exception {
    Desk k = new Desk(true);
    Ticket t = k.file();
    k.move(k.d.agent, t, "start", WorkflowStatus.IN_PROGRESS);
    assertThat(surveys(k.d.tenantId)).isEmpty();
    k.close(t);

    List<List<Object>> rows = surveys(k.d.tenantId);
    assertThat(rows).hasSize(1);
    List<Object> s = rows.get(0);
    assertThat(s.get(1)).isEqualTo(t.id());
    assertThat(s.get(2)).isEqualTo(k.d.customer.userId());
    assertThat(s.get(3)).isEqualTo("closed");
    assertThat(s.subList(4, 9)).containsExactly(false, false, null, null, null);
    assertThat(s.get(9).toString()).contains("14 days");

    List<JsonObject> mails = surveyMails(k.d.tenantId);
    assertThat(mails).hasSize(1);
    JsonObject mail = mails.get(0);
    assertThat(mail.getString("template")).isEqualTo("satisfaction-survey");
    assertThat(mail.getJsonArray("to").getString(0)).startsWith("customer-");
    assertThat(mail.getString("locale")).isEqualTo("ru");
    JsonObject values = mail.getJsonObject("values");
    assertThat(values.getString("number")).isEqualTo(t.number());
    assertThat(values.getString("subject")).isEqualTo("Ошибка");
    assertThat(values.getString("valid-until")).isEqualTo("24.06.2026 09:00 MSK");
    Matcher link = LINK.matcher(values.getString("link"));
    assertThat(link.matches()).as(values.getString("link")).isTrue();
    assertThat(link.group(1)).isEqualTo(k.d.tenantId);
    SurveyTokens.Claims claims = TOKENS.verify(link.group(2)).orElseThrow();
    assertThat(claims.surveyId()).isEqualTo(s.get(0));
    assertThat(claims.tenantId()).isEqualTo(k.d.tenantId);
    assertThat(claims.expiresAt()).isEqualTo(SlaDesk.WED_10_JUNE_0900_MSK.plus(Duration.ofDays(14)));
  }

  @Test
  @DisplayName("a tenant without satisfaction: gets no survey and no survey mail")
  void noSurveyWithoutTheSetting() throws Exception {
    Desk k = new Desk(false);
    Ticket t = k.file();
    k.close(t);
    assertThat(surveys(k.d.tenantId)).isEmpty();
    assertThat(surveyMails(k.d.tenantId)).isEmpty();
  }

  @Test
  @DisplayName("accepting then closing is one closing; a cancel sends none; reopening and closing again withdraws the open survey for a new one")
  void onePerClosing() throws Exception {
    Desk k = new Desk(true);
    Ticket t = k.file();
    k.move(k.d.agent, t, "propose-solution", WorkflowStatus.SOLUTION_PROPOSED);
    k.move(k.d.customer, t, "accept", WorkflowStatus.ACCEPTED);
    k.close(t);
    assertThat(surveys(k.d.tenantId)).extracting(r -> r.get(3)).containsExactly("accepted");
    k.move(k.d.customer, t, "reopen", WorkflowStatus.RETURNED_FOR_REWORK);
    k.d.clock.advance(Duration.ofHours(1));
    k.close(t);
    List<List<Object>> rows = surveys(k.d.tenantId);
    assertThat(rows).extracting(r -> r.get(3) + "/withdrawn=" + r.get(4))
        .containsExactly("accepted/withdrawn=true", "closed/withdrawn=false");
    assertThat(surveyMails(k.d.tenantId)).hasSize(2);

    Ticket cancelled = k.file();
    k.move(k.d.agent, cancelled, "cancel", WorkflowStatus.CANCELLED);
    assertThat(rows("SELECT count(*) FROM satisfaction_survey WHERE ticket_id = ?", cancelled.id()).get(0).get(0))
        .isEqualTo(0L);
  }

  @Test
  @DisplayName("a workflow timer closing a request by timeout sends the survey in the timer's transaction")
  void timerClosingSendsTheSurvey() throws Exception {
    Desk k = new Desk(true);
    SlaClocks clocks = new SlaClocks(TestSla.policy(), new DeadlineCalculator(TestSla.calendar(), TestSla.releases()),
        List.of(FORM_NOT_RECEIVED));
    Ticket t = k.store.create(k.d.tenantId, k.d.customer, k.d.request("error", "urgent"), clocks).await().value();
    k.d.clock.advance(Duration.ofHours(8));
    assertThat(k.store.fireDueTimers(k.d.tenantId, "node", 100, clocks).await())
        .extracting(TicketStore.FiredTimer::eventType).contains("status-changed");
    List<List<Object>> rows = surveys(k.d.tenantId);
    assertThat(rows).extracting(r -> r.get(1) + "/" + r.get(3)).containsExactly(t.id() + "/closed-by-timeout");
    assertThat(surveyMails(k.d.tenantId)).hasSize(1);
  }

  @Test
  @DisplayName("a disabled requester gets no survey; one who opted out of non-contractual mail gets the survey but no mail")
  void recipientRules() throws Exception {
    Desk k = new Desk(true);
    Ticket t = k.file();
    new MailStore(tx, k.d.clock).setOptOut(k.d.tenantId, k.d.customer.userId(), true).await();
    k.close(t);
    assertThat(surveys(k.d.tenantId)).hasSize(1);
    assertThat(surveyMails(k.d.tenantId)).isEmpty();

    Desk other = new Desk(true);
    Ticket u = other.file();
    new UserStore(tx).setEnabled(other.d.tenantId, other.d.customer.userId(), false).await();
    other.close(u);
    assertThat(surveys(other.d.tenantId)).isEmpty();
  }

  @Test
  @DisplayName("answering counts once: the rating is stored with an internal event; a second answer changes nothing")
  void answeredOnce() throws Exception {
    Desk k = new Desk(true);
    Ticket t = k.file();
    k.close(t);
    UUID id = (UUID) surveys(k.d.tenantId).get(0).get(0);
    SurveyStore.Outcome first = k.surveys.answer(k.d.tenantId, id, 4, "Быстро и по делу", "link").await();
    assertThat(first.answered()).isTrue();
    assertThat(first.survey().state(k.d.clock.instant().atOffset(java.time.ZoneOffset.UTC))).isEqualTo("answered");
    assertThat(first.change().eventType()).isEqualTo("satisfaction-rated");
    assertThat(first.change().isPublic()).isFalse();
    SurveyStore.Outcome second = k.surveys.answer(k.d.tenantId, id, 1, "передумал", "portal").await();
    assertThat(second.answered()).isFalse();
    assertThat(surveys(k.d.tenantId).get(0).subList(5, 9)).containsExactly(true, 4, "Быстро и по делу", "link");
    assertThat(rows("SELECT type, public, actor_id, after->>'rating' FROM ticket_event WHERE tenant_id = ?"
        + " AND type = 'satisfaction-rated'", k.d.tenantId))
        .containsExactly(List.of("satisfaction-rated", false, k.d.customer.userId(), "4"));
    assertThat(rows("SELECT kind FROM outbox WHERE tenant_id = ? AND kind = 'ticket.satisfaction-rated'",
        k.d.tenantId)).hasSize(1);
  }

  @Test
  @DisplayName("ten answers at once: exactly one counts")
  void concurrentAnswers() throws Exception {
    Desk k = new Desk(true);
    k.close(k.file());
    UUID id = (UUID) surveys(k.d.tenantId).get(0).get(0);
    List<Future<SurveyStore.Outcome>> all = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      all.add(k.surveys.answer(k.d.tenantId, id, 1 + i % 5, "#" + i, "link"));
    }
    Future.all(all).await();
    assertThat(all.stream().filter(f -> f.result().answered()).count()).isEqualTo(1);
    assertThat(rows("SELECT count(*) FROM ticket_event WHERE tenant_id = ? AND type = 'satisfaction-rated'",
        k.d.tenantId).get(0).get(0)).isEqualTo(1L);
  }

  @Test
  @DisplayName("after its expiry a survey cannot be answered, and another tenant never sees it")
  void expiryAndTenancy() throws Exception {
    Desk k = new Desk(true);
    k.close(k.file());
    UUID id = (UUID) surveys(k.d.tenantId).get(0).get(0);
    Desk other = new Desk(true);
    assertThat(other.surveys.find(other.d.tenantId, id).await()).isEmpty();
    assertThat(TestFutures.problemOf(other.surveys.answer(other.d.tenantId, id, 5, null, "link")).code())
        .isEqualTo("survey.not-found");
    k.d.clock.advance(Duration.ofDays(14));
    SurveyStore.Outcome late = k.surveys.answer(k.d.tenantId, id, 5, null, "link").await();
    assertThat(late.answered()).isFalse();
    assertThat(late.survey().state(k.d.clock.instant().atOffset(java.time.ZoneOffset.UTC))).isEqualTo("expired");
    assertThat(surveys(k.d.tenantId).get(0).get(5)).isEqualTo(false);
  }

  @Test
  @DisplayName("the report reads every survey of the period's requests with its rating and the agent at closing")
  void reportRows() throws Exception {
    Desk k = new Desk(true);
    UserAccount agent = TestPeople.user(tx, k.d.tenantId, Role.AGENT, null);
    Ticket a = k.file();
    k.store.updateTriage(k.d.tenantId, k.d.agent, a.number(), a.version(),
        f -> new TicketStore.TriageFields(f.category(), f.priority(), f.severity(), agent.id(), f.plannedDate()),
        TestSla.clocks()).await();
    k.close(a);
    k.close(k.file());
    List<List<Object>> rows = surveys(k.d.tenantId);
    UUID ofA = (UUID) rows.stream().filter(r -> r.get(1).equals(a.id())).findFirst().orElseThrow().get(0);
    k.surveys.answer(k.d.tenantId, ofA, 5, null, "portal").await();
    List<SatisfactionReport.Row> report = new SlaReportStore(tx).satisfaction(k.d.tenantId,
        SlaDesk.WED_10_JUNE_0900_MSK.minusSeconds(60), SlaDesk.WED_10_JUNE_0900_MSK.plusSeconds(60)).await();
    assertThat(report).extracting(r -> r.category() + "/" + r.priority() + "/" + r.agentId() + "/" + r.rating())
        .containsExactlyInAnyOrder("error/urgent/" + agent.id() + "/5", "error/urgent/null/null");
    assertThat(new SlaReportStore(tx).satisfaction(k.d.tenantId, SlaDesk.WED_10_JUNE_0900_MSK.plusSeconds(60),
        SlaDesk.WED_10_JUNE_0900_MSK.plusSeconds(120)).await()).isEmpty();
  }
}
