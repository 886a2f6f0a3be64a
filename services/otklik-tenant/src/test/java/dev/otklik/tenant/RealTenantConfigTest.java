package dev.otklik.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.tenant.ChannelType;
import dev.otklik.core.tenant.DurationUnit;
import dev.otklik.core.tenant.Language;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.SlaPolicyKind;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.TimeWindow;
import dev.otklik.core.time.BusinessCalendar;
import dev.otklik.core.time.ProductionCalendar;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The real tenant-config/ directory")
class RealTenantConfigTest {

  private static final Path DIR = TestConfigDirectory.real();
  private static final TenantConfigLoader LOADER = new TenantConfigLoader(DIR);
  private static Map<String, ProductionCalendar> calendars;

  @BeforeAll
  static void loadCalendars() {
    calendars = Map.of("ru", LOADER.loadCalendar(DIR.resolve("calendars/ru.yaml")));
  }

  private static TenantConfig tenant(String id) {
    return LOADER.loadTenant(DIR.resolve(id + ".yaml"), calendars);
  }

  @ParameterizedTest
  @ValueSource(strings = {"risk-pro", "cik-alekon", "amber-crm", "asmo", "imc"})
  @DisplayName("Every vendor's file loads without a problem")
  void everyTenantLoads(String id) {
    assertThat(tenant(id).id()).isEqualTo(id);
  }

  @Test
  @DisplayName("The Russian production calendar has 2025 and 2026, not yet 2027")
  void russianCalendarCoversTheDecreedYears() {
    ProductionCalendar ru = calendars.get("ru");

    assertThat(ru.hasYear(2026)).isTrue();
    assertThat(ru.hasYear(2027)).isFalse();
    assertThat(ru.year(2026).orElseThrow().daysOff()).contains(LocalDate.of(2026, 1, 9));
    assertThat(ru.year(2025).orElseThrow().workingDays()).containsExactly(LocalDate.of(2025, 11, 1));
  }

  @Test
  @DisplayName("ЦИК-Алекон takes requests at an internationalised e-mail address")
  void cikAlekonEmailIsInternationalised() {
    TenantConfig cik = tenant("cik-alekon");

    assertThat(cik.channels()).filteredOn(c -> c.type() == ChannelType.EMAIL)
        .singleElement().satisfies(email -> assertThat(email.address()).isEqualTo("help@цик-алекон.рф"));
    assertThat(cik.requestForm().orElseThrow().requiredWithin()).contains(SlaDuration.of(8, DurationUnit.CLOCK_HOURS));
    assertThat(cik.sla().cellFor(Map.of("kind", "failure", "severity", "emergency")))
        .hasValueSatisfying(cell -> assertThat(cell.id()).isEqualTo("failure-emergency"));
  }

  @Test
  @DisplayName("ИМЦ's nested catalogue has service 6.2.7 and its matrix reads releases")
  void imcCatalogueIsNested() {
    TenantConfig imc = tenant("imc");

    assertThat(imc.catalogueNode("6.2.7")).hasValueSatisfying(node -> assertThat(node.number()).contains("6.2.7"));
    assertThat(imc.sla().cellFor(Map.of("category", "error", "priority", "normal")).orElseThrow()
        .target("resolution").orElseThrow().duration()).isEqualTo(SlaDuration.bare(DurationUnit.NEXT_PLANNED_RELEASE));
    assertThat(imc.sla().customerDelayReleasesVendor()).isTrue();
  }

  @Test
  @DisplayName("AMBER CRM is open around the clock with no weekly hours")
  void amberCrmIsAlwaysOpen() {
    TenantConfig amber = tenant("amber-crm");

    assertThat(amber.calendar().alwaysOpen()).isTrue();
    assertThat(amber.calendar().weeklyHours()).isEmpty();
    assertThat(amber.library()).isNotEmpty();
  }

  @Test
  @DisplayName("Риск Pro sets no SLA figures and says so in a statement")
  void riskProHasNoSla() {
    TenantConfig risk = tenant("risk-pro");

    assertThat(risk.sla().policy()).isEqualTo(SlaPolicyKind.NONE);
    assertThat(risk.sla().statement()).hasValueSatisfying(s -> assertThat(s.ru()).contains("не устанавливает"));
    assertThat(risk.sla().cells()).isEmpty();
  }

  @Test
  @DisplayName("АСМО works 08:45-17:00 Moscow time on weekdays by the Russian calendar")
  void asmoHoursFollowTheRegulation() {
    TenantConfig asmo = tenant("asmo");

    assertThat(asmo.calendar().timeZone()).isEqualTo(ZoneId.of("Europe/Moscow"));
    assertThat(asmo.calendar().productionCalendar()).contains("ru");
    assertThat(asmo.calendar().windowsOn(DayOfWeek.MONDAY)).containsExactly(TimeWindow.parse("08:45-17:00"));
    assertThat(asmo.calendar().windowsOn(DayOfWeek.SATURDAY)).isEmpty();
    assertThat(asmo.defaultLocale()).isEqualTo(Language.RU);
  }

  @Test
  @DisplayName("A snapshot's business calendar of АСМО takes the Russian production calendar's days off")
  void snapshotBuildsTheBusinessCalendarWithItsProductionCalendar() {
    JsonObject none = new JsonObject();
    TenantSnapshot snapshot = new TenantSnapshot(
        Map.of("asmo", new Versioned<>(tenant("asmo"), "asmo.yaml", "t1", none)),
        Map.of("ru", new Versioned<>(calendars.get("ru"), "calendars/ru.yaml", "c1", none)));
    BusinessCalendar asmo = snapshot.businessCalendar("asmo").orElseThrow();

    // Friday 9 January 2026 is a decreed day off (a weekday by the weekly hours alone); Monday 12th works
    assertThat(asmo.day(LocalDate.of(2026, 1, 9)).isWorkingDay()).isFalse();
    assertThat(asmo.day(LocalDate.of(2026, 1, 12)).isWorkingDay()).isTrue();
    assertThat(snapshot.businessCalendar("no-such-tenant")).isEmpty();
  }
}
