package dev.otklik.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigIdTest {

  @Test
  @DisplayName("Enum constants map to and from the kebab-case ids of tenant files")
  void mapsConstantsToKebabIds() {
    assertThat(ConfigId.of(WorkflowStatus.WAITING_FOR_CUSTOMER)).isEqualTo("waiting-for-customer");
    assertThat(ConfigId.parse(ChannelRole.class, "first-line")).isEqualTo(ChannelRole.FIRST_LINE);
  }

  @Test
  @DisplayName("An unknown id is refused with the ids that would be accepted")
  void unknownIdListsTheAcceptedOnes() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConfigId.parse(Side.class, "FIRST_LINE"))
        .withMessage("\"FIRST_LINE\" is not one of: vendor, customer");
  }

  @Test
  @DisplayName("Localised text falls back to Russian when there is no English")
  void localizedTextFallsBackToRussian() {
    assertThat(LocalizedText.of("Срочный", "Urgent").in(Language.EN)).isEqualTo("Urgent");
    assertThat(LocalizedText.ru("Срочный").in(Language.EN)).isEqualTo("Срочный");
  }
}
