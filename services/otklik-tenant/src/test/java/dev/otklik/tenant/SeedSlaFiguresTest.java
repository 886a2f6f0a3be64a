package dev.otklik.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.SlaTarget;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.WorkflowTimer;
import dev.otklik.core.time.ProductionCalendar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every SLA figure of the vendors' regulations, as listed in seed-sla-figures.csv, is in the
 * loaded configuration with the same unit. Special cells: {@code *common*} (common targets),
 * {@code *request-form*} (required-within), {@code *intake-phone*} (callback-within) and
 * {@code *timer:<id>*} (target column: the action; duration: after), {@code *obligation:<id>*}
 * (customer obligations; target {@code within}) and {@code *contract*} (target: the term).
 */
@DisplayName("The seed SLA figures")
class SeedSlaFiguresTest {

  private static final String CSV = "seed-sla-figures.csv";
  private static final String HEADER = "tenant,cell,target,side,starts_on,duration,warn_before";

  private static final Path DIR = TestConfigDirectory.real();
  private static final TenantConfigLoader LOADER = new TenantConfigLoader(DIR);
  private static final Map<String, TenantConfig> TENANTS = new ConcurrentHashMap<>();

  record Figure(String tenant, String cell, String target, String side, String startsOn, String duration, String warnBefore) {
    @Override
    public String toString() {
      return tenant + " " + cell + " " + target + " = " + duration;
    }
  }

  static List<Figure> figures() throws IOException {
    try (InputStream in = SeedSlaFiguresTest.class.getClassLoader().getResourceAsStream(CSV)) {
      if (in == null) {
        throw new IllegalStateException(CSV + " is missing from src/test/resources; it lists the figures to check");
      }
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      assertThat(lines).as(CSV).first().isEqualTo(HEADER);
      List<Figure> figures = lines.stream().skip(1).filter(line -> !line.isBlank()).map(line -> {
        String[] f = line.split(",", -1);
        assertThat(f).as("columns of %s", line).hasSize(7);
        return new Figure(f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
      }).toList();
      assertThat(figures).as(CSV + " rows").isNotEmpty();
      return figures;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("figures")
  @DisplayName("is in the loaded configuration with its unit")
  void figureIsConfigured(Figure figure) {
    TenantConfig config = TENANTS.computeIfAbsent(figure.tenant(), SeedSlaFiguresTest::load);
    SlaDuration expected = SlaDuration.parse(figure.duration());

    if (figure.cell().equals("*request-form*")) {
      assertThat(figure.target()).isEqualTo("required-within");
      assertSameFigure(config.requestForm().orElseThrow().requiredWithin().orElseThrow(), expected);
    } else if (figure.cell().equals("*intake-phone*")) {
      assertThat(figure.target()).isEqualTo("callback-within");
      assertSameFigure(config.intake().phone().orElseThrow().callbackWithin().orElseThrow(), expected);
    } else if (figure.cell().startsWith("*obligation:")) {
      String id = figure.cell().substring("*obligation:".length(), figure.cell().length() - 1);
      var obligation = config.intake().customerObligations().stream().filter(o -> o.id().equals(id)).findFirst()
          .orElseThrow(() -> new AssertionError("no customer obligation " + id));
      assertThat(figure.target()).isEqualTo("within");
      assertThat(ConfigId.of(obligation.startsOn())).isEqualTo(figure.startsOn());
      assertSameFigure(obligation.within(), expected);
    } else if (figure.cell().equals("*contract*")) {
      var contract = config.contract().orElseThrow(() -> new AssertionError("no contract terms"));
      var term = switch (figure.target()) {
        case "free-support" -> contract.freeSupport();
        case "warranty-max" -> contract.warrantyMax();
        default -> throw new AssertionError("unknown contract term " + figure.target());
      };
      assertSameFigure(term.orElseThrow(() -> new AssertionError("no " + figure.target())), expected);
    } else if (figure.cell().startsWith("*timer:")) {
      String timerId = figure.cell().substring("*timer:".length(), figure.cell().length() - 1);
      WorkflowTimer timer = config.workflow().timer(timerId).orElseThrow(() -> new AssertionError("no timer " + timerId));
      assertThat(ConfigId.of(timer.action())).isEqualTo(figure.target());
      assertThat(ConfigId.of(timer.startsOn())).isEqualTo(figure.startsOn());
      assertSameFigure(timer.after(), expected);
    } else {
      SlaTarget target = target(config, figure);
      assertThat(ConfigId.of(target.side())).isEqualTo(figure.side());
      assertThat(ConfigId.of(target.startsOn())).isEqualTo(figure.startsOn());
      assertSameFigure(target.duration(), expected);
      assertThat(target.warnBefore().map(SlaDuration::toString))
          .isEqualTo(figure.warnBefore().isEmpty() ? Optional.empty() : Optional.of(figure.warnBefore()));
    }
  }

  private static SlaTarget target(TenantConfig config, Figure figure) {
    List<SlaTarget> targets = figure.cell().equals("*common*")
        ? config.sla().commonTargets()
        : config.sla().cell(figure.cell()).orElseThrow(() -> new AssertionError("no cell " + figure.cell())).targets();
    return targets.stream().filter(t -> t.id().equals(figure.target())).findFirst()
        .orElseThrow(() -> new AssertionError("no target " + figure.target() + " in " + figure.cell()));
  }

  private static void assertSameFigure(SlaDuration actual, SlaDuration expected) {
    assertThat(actual.unit()).as("unit").isEqualTo(expected.unit());
    assertThat(actual).isEqualTo(expected);
  }

  private static TenantConfig load(String tenantId) {
    Map<String, ProductionCalendar> calendars = Map.of("ru", LOADER.loadCalendar(DIR.resolve("calendars/ru.yaml")));
    return LOADER.loadTenant(DIR.resolve(tenantId + ".yaml"), calendars);
  }
}
