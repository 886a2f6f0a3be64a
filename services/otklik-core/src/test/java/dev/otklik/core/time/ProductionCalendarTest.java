package dev.otklik.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otklik.core.tenant.LocalizedText;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProductionCalendarTest {

  private static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
  private static final LocalDate JAN_2 = LocalDate.of(2026, 1, 2);

  private final ProductionCalendar calendar = new ProductionCalendar(
      "ru",
      LocalizedText.of("Производственный календарь РФ", "Russian production calendar"),
      CalendarFallback.WEEKENDS_ONLY,
      Map.of(2026, new ProductionCalendar.YearData("test", Set.of(JAN_2, JAN_1), Set.of(), Set.of())));

  @Test
  @DisplayName("A calendar knows which years it has data for")
  void knowsItsYears() {
    assertThat(calendar.hasYear(2026)).isTrue();
    assertThat(calendar.hasYear(2027)).isFalse();
    assertThat(calendar.year(2027)).isEmpty();
  }

  @Test
  @DisplayName("A year's dates iterate in date order and cannot be changed")
  void yearDataIsSortedAndImmutable() {
    Set<LocalDate> daysOff = calendar.year(2026).orElseThrow().daysOff();

    assertThat(daysOff).containsExactly(JAN_1, JAN_2);
    assertThatThrownBy(() -> daysOff.add(LocalDate.of(2026, 1, 3)))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
