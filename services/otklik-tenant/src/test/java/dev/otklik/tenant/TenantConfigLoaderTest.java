package dev.otklik.tenant;

import static dev.otklik.tenant.BrokenTenantFilesTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.Audience;
import dev.otklik.core.tenant.ChannelHours;
import dev.otklik.core.tenant.OidcProvider;
import dev.otklik.core.tenant.SignIn;
import dev.otklik.core.tenant.ClockStop;
import dev.otklik.core.tenant.DurationUnit;
import dev.otklik.core.tenant.Escalation;
import dev.otklik.core.tenant.FieldType;
import dev.otklik.core.tenant.ForwardTarget;
import dev.otklik.core.tenant.Language;
import dev.otklik.core.tenant.RequestField;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.SlaPolicyKind;
import dev.otklik.core.tenant.Taxonomy;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.TimeWindow;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.core.time.ProductionCalendar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantConfigLoaderTest {

  private static final Path CONFIG = resource("config");
  private final TenantConfigLoader loader = new TenantConfigLoader(CONFIG);
  private final Map<String, ProductionCalendar> calendars =
      Map.of("ru", loader.loadCalendar(CONFIG.resolve("calendars/ru.yaml")));

  @Test
  @DisplayName("Every key of the format reaches the records")
  void everyKeyIsBound() {
    TenantConfig config = loader.loadTenant(CONFIG.resolve("complete.yaml"), calendars);

    assertThat(config.enabled()).isFalse();
    assertThat(config.requestNumberPrefix()).isEqualTo("COMP1");
    assertThat(config.defaultLocale()).isEqualTo(Language.EN);
    assertThat(config.identity().sourceDocument()).contains("999_test.txt");
    assertThat(config.branding().hostNames()).containsExactly("support.example.com", "поддержка.пример.рф");
    assertThat(config.branding().logo()).contains("logos/complete.svg");
    assertThat(config.webhooks()).hasSize(2);
    assertThat(config.webhooks().get(0).secretEnv()).isEqualTo("OTKLIK_WEBHOOK_COMPLETE_JIRA");
    assertThat(config.webhooks().get(0).events()).containsExactly("ticket.created", "ticket.sla-breached");
    assertThat(config.webhooks().get(0).enabled()).isTrue();
    assertThat(config.webhooks().get(0).description()).contains("Jira Service Management");
    assertThat(config.webhooks().get(1).enabled()).isFalse();
    assertThat(config.channels().get(1).hours()).isEqualTo(ChannelHours.ALWAYS);
    assertThat(config.channels().get(1).acceptsRequests()).isFalse();
    assertThat(config.calendar().timeZone()).isEqualTo(ZoneId.of("Asia/Yekaterinburg"));
    assertThat(config.calendar().windowsOn(DayOfWeek.MONDAY))
        .containsExactly(TimeWindow.parse("09:00-13:00"), TimeWindow.parse("14:00-18:00"));
    assertThat(config.calendar().windowsOn(DayOfWeek.SATURDAY)).containsExactly(TimeWindow.parse("10:00-14:00"));
    assertThat(config.calendar().transferredWorkingDayHours()).containsExactly(TimeWindow.parse("10:00-15:00"));
    assertThat(config.calendar().shortenedDayReduction()).isEqualTo(Duration.ofHours(1));
    assertThat(config.taxonomy().requiredFields())
        .containsExactlyInAnyOrder(RequestField.SUBJECT, RequestField.PRIORITY, RequestField.SERVICE);
    assertThat(config.taxonomy().kinds().get(0).description()).isPresent();
    assertThat(config.requestForm().orElseThrow().fields().get(1).type()).isEqualTo(FieldType.MULTI_SELECT);
    assertThat(config.requestForm().orElseThrow().fields().get(1).options()).hasSize(2);
    assertThat(config.catalogueNode("6").orElseThrow().requestable()).isFalse();
    assertThat(config.catalogueNode("6.2").orElseThrow().requestable()).isTrue();
    assertThat(config.catalogueNode("6.2.7")).isPresent();
    assertThat(config.sla().pauseVendorClocksWhile())
        .containsExactlyInAnyOrder(WorkflowStatus.WAITING_FOR_CUSTOMER, WorkflowStatus.SOLUTION_PROPOSED);
    assertThat(config.sla().customerDelayReleasesVendor()).isTrue();
    assertThat(config.sla().escalation()).isEqualTo(new Escalation(
        Set.of("warning", "breach"), List.of("coordinator", "assignee"), true));
    assertThat(config.sla().statement()).isPresent();
    assertThat(config.sla().commonTargets()).singleElement().satisfies(t -> assertThat(t.id()).isEqualTo("triage"));
    assertThat(config.sla().cell("error-urgent").orElseThrow().notifyAllCustomers()).isTrue();
    assertThat(config.sla().cell("error-urgent").orElseThrow().target("resolution").orElseThrow().warnBefore())
        .contains(SlaDuration.of(60, DurationUnit.WORKING_MINUTES));
    assertThat(config.sla().cellFor(Map.of("service", "6.2.7", "severity", "emergency", "kind", "incident")))
        .hasValueSatisfying(cell -> assertThat(cell.id()).isEqualTo("service-maintenance"));
    assertThat(config.sla().cellFor(Map.of("category", "support"))).hasValueSatisfying(cell -> assertThat(cell.id()).isEqualTo("fallback"));
    assertThat(config.workflow().reopenWithin()).contains(SlaDuration.of(5, DurationUnit.WORKING_DAYS));
    assertThat(config.workflow().customerMayClose()).isFalse();
    assertThat(config.workflow().timer("form-not-received").orElseThrow().cancelledBy()).contains(ClockStop.FORM_RECEIVED);
    assertThat(config.workflow().timer("nudge").orElseThrow().cancelledBy()).isEmpty();
    assertThat(config.intake().email().forwardTo()).contains(ForwardTarget.TENANT_ADDRESS);
    assertThat(config.intake().phone().orElseThrow().callbackWithin()).contains(SlaDuration.of(3, DurationUnit.WORKING_DAYS));
    assertThat(config.intake().customerObligations()).hasSize(1);
    assertThat(config.contract().orElseThrow().warrantyMax()).contains(SlaDuration.of(12, DurationUnit.MONTHS));
    assertThat(config.releases().get(0).date()).isEqualTo(LocalDate.of(2026, 12, 15));
    assertThat(config.releases().get(1).name()).isEmpty();
    assertThat(config.library().get(0).url()).isEqualTo("https://example.com/guide.pdf");
    assertThat(config.notifications()).containsOnlyKeys("request-registered");
    assertThat(config.signIn().password()).containsExactly(Audience.CUSTOMERS);
    assertThat(config.signIn().passwordAllowed(Role.AGENT)).isFalse();
    assertThat(config.signIn().twoFactorRequiredFor()).containsExactlyInAnyOrder(Role.AGENT, Role.TENANT_ADMIN);
    OidcProvider sso = config.signIn().provider("corp-keycloak").orElseThrow();
    assertThat(sso.audiences()).containsExactlyInAnyOrder(Audience.STAFF, Audience.CUSTOMERS);
    assertThat(sso.label().en()).contains("Sign in with Keycloak");
    assertThat(sso.issuer()).isEqualTo("https://sso.example.com/realms/support");
    assertThat(sso.clientId()).isEqualTo("otklik-portal");
    assertThat(sso.clientSecretEnv()).isEqualTo("OTKLIK_OIDC_COMPLETE_SECRET");
    assertThat(sso.scopes()).containsExactly("openid", "email");
    assertThat(sso.jwksUri()).contains("https://sso.example.com/realms/support/certs");
    assertThat(sso.emailClaim()).isEqualTo("mail");
    assertThat(sso.roleClaim()).contains("groups");
    assertThat(sso.roles()).containsExactly(Map.entry("support-admins", Role.TENANT_ADMIN),
        Map.entry("support", Role.AGENT), Map.entry("clients", Role.CUSTOMER));
    assertThat(sso.defaultRole()).contains(Role.CUSTOMER);
    assertThat(sso.organisationClaim()).contains("org_id");
    assertThat(config.satisfaction().orElseThrow().linkValidity()).isEqualTo(Duration.ofDays(30));
    assertThat(config.satisfaction().orElseThrow().question().orElseThrow().ru()).isEqualTo("Как мы справились?");
  }

  @Test
  @DisplayName("Omitted keys take the defaults the schema documents")
  void omittedKeysTakeTheirDefaults() {
    TenantConfig config = loader.loadTenant(CONFIG.resolve("minimal.yaml"), calendars);

    assertThat(config.enabled()).isTrue();
    assertThat(config.calendar().alwaysOpen()).isFalse();
    assertThat(config.calendar().productionCalendar()).isEmpty();
    assertThat(config.calendar().shortenedDayReduction()).isZero();
    assertThat(config.taxonomy().requiredFields()).isEqualTo(Taxonomy.DEFAULT_REQUIRED_FIELDS);
    assertThat(config.sla().policy()).isEqualTo(SlaPolicyKind.NONE);
    assertThat(config.sla().customerDelayReleasesVendor()).isFalse();
    assertThat(config.sla().escalation()).isEqualTo(Escalation.DEFAULT);
    assertThat(config.catalogue()).isEmpty();
    assertThat(config.requestForm()).isEmpty();
    assertThat(config.contract()).isEmpty();
    assertThat(config.notifications()).isEmpty();
    assertThat(config.signIn()).isEqualTo(SignIn.DEFAULT);
    assertThat(config.satisfaction()).isEmpty();
  }

  @Test
  @DisplayName("Binding alone refuses every unknown key with its path, even where no schema ran")
  void bindingRefusesUnknownKeysWithoutTheSchema() throws Exception {
    ObjectNode tree = completeTree();
    tree.put("colour-scheme", "dark");
    ((ObjectNode) tree.at("/sla/cells/0/targets/0")).put("deadline-hours", 4);
    ((ObjectNode) tree.at("/calendar/weekly-hours")).putArray("monday").add("09:00-18:00");
    ((ObjectNode) tree.at("/notifications/request-registered")).put("body", "text");
    ((ObjectNode) tree.at("/catalogue/0/children/0/children/0/name")).put("de", "Wartung");

    TenantConfigRejectedException refusal = refusalOfBinding(tree);

    assertThat(refusal.problems()).extracting(TenantConfigException::path).containsExactlyInAnyOrder(
        "/colour-scheme",
        "/sla/cells/0/targets/0/deadline-hours",
        "/calendar/weekly-hours/monday",
        "/notifications/request-registered/body",
        "/catalogue/0/children/0/children/0/name/de");
    assertThat(refusal.problems()).allSatisfy(problem -> assertThat(problem.reason()).startsWith("unknown key"));
  }

  @Test
  @DisplayName("Binding alone refuses wrong types and missing keys, reading past them to the next problem")
  void bindingReportsProblemsInEverySection() throws Exception {
    ObjectNode tree = completeTree();
    tree.put("enabled", "yes");
    ((ObjectNode) tree.at("/channels/0")).remove("label");
    ((ObjectNode) tree.at("/sla/cells/1/targets/0")).put("duration", "soon");

    TenantConfigRejectedException refusal = refusalOfBinding(tree);

    assertThat(refusal.problems()).extracting(TenantConfigException::getMessage).containsExactlyInAnyOrder(
        "complete.yaml: /enabled: expected true or false, got \"yes\"",
        "complete.yaml: /channels/0/label: is required but missing",
        "complete.yaml: /sla/cells/1/targets/0/duration: not a duration: \"soon\": unknown unit \"soon\"; "
            + "expected \"<amount> <unit>\" with a positive whole amount and unit one of clock-minutes, clock-hours, "
            + "calendar-days, working-minutes, working-hours, working-days, months, years, or one of "
            + "end-of-working-day, by-agreement, next-planned-release, next-unplanned-release, "
            + "following-planned-release on its own");
  }

  @Test
  @DisplayName("A file with several schema problems reports all of them at once")
  void schemaProblemsAreAllReported(@TempDir Path dir) throws Exception {
    TenantConfigRejectedException refusal = refusalOfEdited(dir, "minimal.yaml", yaml -> yaml
        .replace("primary-color: \"#000000\"", "primary-color: black")
        .replace("default-locale: ru", "default-locale: de")
        .replace("  customer-may-close: true", "  customer-may-close: true\n  auto-close: true"));

    assertThat(refusal.problems()).extracting(TenantConfigException::path)
        .containsExactlyInAnyOrder("/branding/primary-color", "/default-locale", "/workflow/auto-close");
  }

  @Test
  @DisplayName("A file with several semantic problems reports all of them at once")
  void semanticProblemsAreAllReported(@TempDir Path dir) throws Exception {
    TenantConfigRejectedException refusal = refusalOfEdited(dir, "complete.yaml", yaml -> yaml
        .replace("id: complete", "id: renamed")
        .replace("mon: [\"09:00-13:00\", \"14:00-18:00\"]", "mon: [\"09:00-13:00\", \"12:00-18:00\"]")
        .replace("match: {category: error, priority: urgent}", "match: {category: error, priority: low}"));

    assertThat(refusal.problems()).extracting(TenantConfigException::path).containsExactlyInAnyOrder(
        "/id", "/branding/logo", "/calendar/weekly-hours/mon/1", "/sla/cells/0/match/priority");
  }

  /** The tenant file {@code fixture}, edited, written into {@code dir} and loaded from there. */
  private TenantConfigRejectedException refusalOfEdited(Path dir, String fixture, UnaryOperator<String> edit)
      throws IOException {
    Files.writeString(dir.resolve(fixture), edit.apply(Files.readString(CONFIG.resolve(fixture))));
    return catchThrowableOfType(TenantConfigRejectedException.class,
        () -> new TenantConfigLoader(dir).loadTenant(dir.resolve(fixture), calendars));
  }

  private TenantConfigRejectedException refusalOfBinding(ObjectNode tree) {
    return catchThrowableOfType(TenantConfigRejectedException.class, () -> loader.bindWithoutSchema("complete.yaml", tree));
  }

  private static ObjectNode completeTree() throws IOException {
    return (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(CONFIG.resolve("complete.yaml")));
  }
}
