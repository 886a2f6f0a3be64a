package dev.otklik.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otklik.core.tenant.ChannelHours;
import dev.otklik.core.tenant.ChannelRole;
import dev.otklik.core.tenant.ChannelType;
import dev.otklik.core.tenant.ClockStart;
import dev.otklik.core.tenant.ClockStop;
import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.DurationUnit;
import dev.otklik.core.tenant.FieldType;
import dev.otklik.core.tenant.ForwardTarget;
import dev.otklik.core.tenant.Language;
import dev.otklik.core.tenant.LibraryKind;
import dev.otklik.core.tenant.MatchAttribute;
import dev.otklik.core.tenant.ObligationTrigger;
import dev.otklik.core.tenant.ReleaseType;
import dev.otklik.core.tenant.RequestField;
import dev.otklik.core.tenant.Side;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.SlaPolicyKind;
import dev.otklik.core.tenant.TargetType;
import dev.otklik.core.tenant.TimerAction;
import dev.otklik.core.tenant.UnregisteredSenderAction;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.core.time.CalendarFallback;
import java.io.IOException;
import java.io.InputStream;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The schema's closed vocabularies and the Java enums say the same thing. */
class SchemaVocabularyTest {

  private static final JsonNode TENANT = schema(SchemaCheck.TENANT_SCHEMA);
  private static final JsonNode CALENDAR = schema(SchemaCheck.CALENDAR_SCHEMA);

  static Stream<Arguments> vocabularies() {
    return Stream.of(
        Arguments.of("/properties/default-locale", Language.class),
        Arguments.of("/properties/channels/items/properties/type", ChannelType.class),
        Arguments.of("/properties/channels/items/properties/role", ChannelRole.class),
        Arguments.of("/properties/channels/items/properties/hours", ChannelHours.class),
        Arguments.of("/properties/taxonomy/properties/required-fields/items", RequestField.class),
        Arguments.of("/properties/request-form/properties/fields/items/properties/type", FieldType.class),
        Arguments.of("/properties/sla/properties/policy", SlaPolicyKind.class),
        Arguments.of("/$defs/target/properties/type", TargetType.class),
        Arguments.of("/$defs/target/properties/side", Side.class),
        Arguments.of("/$defs/startEvent", ClockStart.class),
        Arguments.of("/$defs/stopEvent", ClockStop.class),
        Arguments.of("/$defs/status", WorkflowStatus.class),
        Arguments.of("/properties/workflow/properties/timers/items/properties/action", TimerAction.class),
        Arguments.of("/properties/intake/properties/email/properties/unregistered-sender", UnregisteredSenderAction.class),
        Arguments.of("/properties/intake/properties/email/properties/forward-to", ForwardTarget.class),
        Arguments.of("/properties/intake/properties/customer-obligations/items/properties/starts-on", ObligationTrigger.class),
        Arguments.of("/properties/releases/items/properties/type", ReleaseType.class),
        Arguments.of("/properties/library/items/properties/kind", LibraryKind.class));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("vocabularies")
  @DisplayName("Each enum of the tenant schema lists exactly the ids of its Java enum, in order")
  void schemaEnumMatchesJavaEnum(String pointer, Class<? extends Enum<?>> vocabulary) {
    assertThat(strings(TENANT.at(pointer + "/enum"))).as(pointer).containsExactlyElementsOf(ids(vocabulary));
  }

  @Test
  @DisplayName("Cells match on exactly the attributes of MatchAttribute; weekly hours on mon..sun")
  void objectKeysMatchJava() {
    assertThat(fieldNames(TENANT.at("/$defs/cell/properties/match/properties"))).containsExactlyElementsOf(ids(MatchAttribute.class));
    assertThat(fieldNames(TENANT.at("/properties/calendar/properties/weekly-hours/properties")))
        .containsExactlyElementsOf(Arrays.stream(DayOfWeek.values()).map(Weekdays::key).toList());
    assertThat(strings(CALENDAR.at("/properties/fallback/enum"))).containsExactlyElementsOf(ids(CalendarFallback.class));
  }

  @Test
  @DisplayName("The schema's duration pattern accepts exactly what SlaDuration.parse accepts")
  void durationPatternAgreesWithParser() {
    Pattern pattern = Pattern.compile(TENANT.at("/$defs/duration/pattern").asText());
    for (DurationUnit unit : DurationUnit.values()) {
      String example = (unit.takesAmount() ? SlaDuration.of(12, unit) : SlaDuration.bare(unit)).toString();
      assertThat(pattern.matcher(example).find()).as(example).isTrue();
    }
    for (String refused : List.of("4 weeks", "0 clock-hours", "01 clock-hours", "by-agreement 2", "2 by-agreement", "working-days", "4  clock-hours")) {
      assertThat(pattern.matcher(refused).find()).as(refused).isFalse();
    }
  }

  private static List<String> ids(Class<? extends Enum<?>> vocabulary) {
    return Arrays.stream(vocabulary.getEnumConstants()).map(ConfigId::of).toList();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode schema(String file) {
    try (InputStream in = SchemaCheck.class.getResourceAsStream("schema/" + file)) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
