package dev.otklik.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.otklik.core.time.ProductionCalendar;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One file per defect in src/test/resources/broken/: each is refused with its path and reason. */
@DisplayName("A broken tenant or calendar file")
class BrokenTenantFilesTest {

  private static final Path BROKEN = resource("broken");
  private static final TenantConfigLoader LOADER = new TenantConfigLoader(BROKEN);
  private static final Map<String, ProductionCalendar> CALENDARS =
      Map.of("ru", new TenantConfigLoader(resource("config")).loadCalendar(resource("config/calendars/ru.yaml")));

  @ParameterizedTest(name = "{0}.yaml: {1}: ...{2}...")
  @CsvSource(delimiter = '|', textBlock = """
      unknown-top-level-key          | /colour-scheme                          | unknown key "colour-scheme"; allowed here: id, enabled
      unknown-nested-key             | /sla/cells/0/targets/0/deadline-hours   | unknown key "deadline-hours"
      wrong-type                     | /channels/0/accepts-requests            | expected boolean, got "yes"
      bad-colour                     | /branding/primary-color                 | "#1d4f9g" is not a colour "#rrggbb"
      bad-duration-unit              | /sla/cells/0/targets/0/duration         | "4 hours" is not a duration "<amount> <unit>"
      overlapping-hours              | /calendar/weekly-hours/mon/1            | 12:30-18:00 overlaps 09:00-13:00
      windows-out-of-order           | /calendar/weekly-hours/mon/1            | list windows in ascending order
      window-end-before-start        | /calendar/weekly-hours/tue/0            | window 18:00-09:00 ends before it starts
      cell-unknown-priority          | /sla/cells/1/match/priority             | unknown priority "critical"; the taxonomy defines urgent, normal
      duplicate-catalogue-id         | /catalogue/0/children/0/id              | duplicate catalogue id "support" (first at /catalogue/0)
      unknown-production-calendar    | /calendar/production-calendar           | unknown production calendar "by"; loaded calendars: ru
      policy-none-without-statement  | /sla/statement                          | is required when policy is none
      file-name-not-id               | /id                                     | "another-id" differs from the file name file-name-not-id.yaml
      always-open-with-weekly-hours  | /calendar/weekly-hours                  | must be omitted when always-open is true
      bad-yaml-syntax                | /calendar/weekly-hours/tue/0            | syntax error at line 24, column 5: while parsing a flow sequence; expected ',' or ']'
      release-unit-without-releases  | /sla/cells/0/targets/0/duration         | next-planned-release needs at least one planned release
      duplicate-match                | /sla/cells/1/match                      | same match as cell "error-urgent" (/sla/cells/0)
      ambiguous-cells                | /sla/cells/1/match                      | would match both this cell and cell "error-urgent"
      missing-required-key           | /request-number-prefix                  | is required but missing
      missing-required-nested-key    | /sla/cells/0/match                      | is required but missing
      bad-enum-value                 | /sla/cells/0/targets/0/side             | "supplier" is not one of: vendor, customer
      bad-escalation-trigger         | /sla/escalation/on/1                    | "overdue" is not one of: warning, breach
      duplicate-yaml-key             | /default-locale                         | the key appears twice (again at line 4)
      forward-without-target         | /intake/email/forward-to                | is required when unregistered-sender is forward
      bad-mailbox                    | /intake/email/mailbox-password-env      | "imc-password" is not an environment variable name
      warn-before-too-long           | /sla/cells/0/targets/0/warn-before      | a warning 5 working-hours before a deadline of 4 working-hours
      required-field-without-values  | /taxonomy/required-fields               | severity is required, but there is no severity to choose
      unquoted-version               | /sla/version                            | (quote the value in YAML)
      timer-by-agreement             | /workflow/timers/0/after                | cannot be by-agreement
      impossible-date                | /releases/0/date                        | not a date: "2026-02-30"
      unknown-time-zone              | /calendar/time-zone                     | unknown time zone "Europe/Moskow"
      matrix-without-cells           | /sla/cells                              | a matrix needs at least one cell
      missing-logo                   | /branding/logo                          | no file logos/missing-logo.svg
      reduction-in-working-hours     | /calendar/shortened-day-reduction       | must be in clock-minutes or clock-hours
      form-received-without-form     | /workflow/timers/0/cancelled-by         | form-received needs a request-form
      empty-file                     | ''                                      | the file is empty
      top-level-list                 | ''                                      | must be a mapping of keys to values, not a list
      target-id-reused               | /sla/cells/0/targets/0/id               | duplicate target id "triage" (first at /sla/common-targets/0)
      bad-email-address              | /channels/0/address                     | "help.example.com" is not a valid email address
      select-without-options         | /request-form/fields/0/options          | a select field needs options
      clock-stops-where-it-starts    | /sla/cells/0/targets/0/stops-on         | triage-finished is also the event the clock starts on
      webhook-literal-secret         | /webhooks/0/secret                      | unknown key "secret"
      webhook-unknown-event          | /webhooks/0/events/1                    | unknown event type "ticket.exploded"
      webhook-bad-env                | /webhooks/0/secret-env                  | "whsec_literal-pasted-here" is not an environment variable name
      oidc-customer-provider-makes-agent | /sign-in/oidc/0/roles/support     | role agent is for staff, but the provider signs in [customers]
      oidc-plain-http-issuer         | /sign-in/oidc/0/issuer                  | "http://id.example.com" is not an absolute https URL
      oidc-literal-secret            | /sign-in/oidc/0/client-secret           | unknown key "client-secret"
      staff-cannot-sign-in           | /sign-in/password                       | staff could not sign in at all
      two-factor-unknown-role        | /sign-in/two-factor-required-for/1      | "superuser" is not one of: customer, agent, coordinator, tenant-admin
      survey-link-too-long           | /satisfaction/link-valid-days           | 400 is greater than 365
      """)
  @DisplayName("is refused with exactly one problem naming the file, the JSON pointer and the reason")
  void tenantFileIsRefused(String name, String path, String reason) {
    assertRefused(name + ".yaml", path, reason,
        () -> LOADER.loadTenant(BROKEN.resolve(name + ".yaml"), CALENDARS));
  }

  @ParameterizedTest(name = "calendars/{0}.yaml: {1}: ...{2}...")
  @CsvSource(delimiter = '|', textBlock = """
      day-off-on-a-weekend       | /years/0/days-off/1       | 2026-01-03 is a Saturday; days-off lists weekdays
      working-day-on-a-weekday   | /years/0/working-days/0   | 2026-01-05 is a Monday; working-days lists weekend days
      date-outside-its-year      | /years/0/days-off/1       | 2025-12-31 is not in 2026
      shortened-day-off          | /years/0/shortened-days/0 | 2026-01-02 is a Friday that is not worked
      year-twice                 | /years/1/year             | year 2026 appears twice (first at /years/0/year)
      calendar-unknown-key       | /country                  | unknown key "country"; allowed here: id, name, fallback, years
      """)
  @DisplayName("calendar is refused with exactly one problem naming the file, the JSON pointer and the reason")
  void calendarFileIsRefused(String name, String path, String reason) {
    assertRefused("calendars/" + name + ".yaml", path, reason,
        () -> LOADER.loadCalendar(BROKEN.resolve("calendars/" + name + ".yaml")));
  }

  @Test
  @DisplayName("Every file in broken/ has a row above, so none is skipped silently")
  void everyBrokenFileHasARow() throws Exception {
    Set<String> rows = new HashSet<>();
    rows.addAll(firstColumn("tenantFileIsRefused", ""));
    rows.addAll(firstColumn("calendarFileIsRefused", "calendars/"));
    try (Stream<Path> files = Files.walk(BROKEN)) {
      Set<String> present = files.filter(Files::isRegularFile)
          .map(file -> BROKEN.relativize(file).toString().replace('\\', '/'))
          .collect(Collectors.toSet());
      assertThat(rows).containsExactlyInAnyOrderElementsOf(present);
    }
  }

  private static Set<String> firstColumn(String testMethod, String folder) throws NoSuchMethodException {
    String rows = BrokenTenantFilesTest.class
        .getDeclaredMethod(testMethod, String.class, String.class, String.class)
        .getAnnotation(CsvSource.class).textBlock();
    return rows.lines().filter(line -> !line.isBlank())
        .map(line -> folder + line.substring(0, line.indexOf('|')).trim() + ".yaml")
        .collect(Collectors.toSet());
  }

  private static void assertRefused(String file, String path, String reason, Runnable load) {
    TenantConfigRejectedException refusal = catchThrowableOfType(TenantConfigRejectedException.class, load::run);

    assertThat(refusal).as("%s must be refused", file).isNotNull();
    assertThat(refusal.problems()).as(refusal.getMessage()).singleElement().satisfies(problem -> {
      assertThat(problem.file()).isEqualTo(file);
      assertThat(problem.path()).isEqualTo(path);
      assertThat(problem.reason()).contains(reason);
      assertThat(problem.getMessage()).startsWith(file + ": " + (path.isEmpty() ? "/" : path) + ": ");
    });
    assertThat(refusal.getMessage()).contains(file + ": " + (path.isEmpty() ? "/" : path) + ": ");
  }

  static Path resource(String name) {
    try {
      return Path.of(BrokenTenantFilesTest.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
