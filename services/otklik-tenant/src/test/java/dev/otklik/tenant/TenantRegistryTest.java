package dev.otklik.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.EventBusAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class TenantRegistryTest {

  private static final List<String> REAL_TENANTS = List.of("amber-crm", "asmo", "cik-alekon", "imc", "risk-pro");

  @TempDir
  Path dir;

  private TenantRegistry registry;

  @BeforeEach
  void copyRealConfig(Vertx vertx) throws IOException {
    copyTree(TestConfigDirectory.real(), dir);
    registry = new TenantRegistry(vertx, dir);
  }

  @AfterEach
  void closeRegistry(VertxTestContext context) {
    registry.close().onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("Startup loads every tenant and calendar of the directory, skipping schema/ and logos/")
  void startupLoadsEveryTenant(VertxTestContext context) {
    registry.loadInitial().onComplete(context.succeeding(snapshot -> context.verify(() -> {
      assertThat(registry.all()).containsOnlyKeys(REAL_TENANTS);
      assertThat(snapshot.calendars()).containsOnlyKeys("ru");
      assertThat(snapshot.tenants().get("asmo").file()).isEqualTo("asmo.yaml");
      assertThat(snapshot.version("asmo")).hasValueSatisfying(v -> assertThat(v).hasSize(16));
      assertThat(registry.get("imc")).hasValueSatisfying(imc -> assertThat(imc.catalogueNode("6.2.7")).isPresent());
      assertThat(registry.get("nobody")).isEmpty();
      context.completeNow();
    })));
  }

  @Test
  @DisplayName("Startup with one invalid file fails with every problem, and loads nothing")
  void startupWithAnInvalidFileFails(VertxTestContext context) throws IOException {
    Files.writeString(dir.resolve("broken.yaml"), "id: broken\nrequest-number-prefix: lower\n");

    registry.loadInitial().onComplete(context.failing(failure -> context.verify(() -> {
      assertThat(failure).isInstanceOf(TenantConfigRejectedException.class);
      assertThat(failure.getMessage())
          .contains("broken.yaml: /request-number-prefix: \"lower\" is not a request-number prefix")
          .contains("broken.yaml: /identity: is required but missing");
      assertThat(registry.all()).isEmpty();
      context.completeNow();
    })));
  }

  @Test
  @DisplayName("A dropped-in file is picked up by the watch and announced; breaking it keeps it; deleting removes it")
  void hotReloadAddsKeepsAndRemoves(Vertx vertx, VertxTestContext context) throws Exception {
    LinkedBlockingQueue<JsonObject> announcements = new LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>consumer(EventBusAddresses.TENANTS_RELOADED, m -> announcements.add(m.body()));
    registry.loadInitial().await(10, TimeUnit.SECONDS);
    registry.startWatching(Duration.ofMillis(100));
    Path sixth = dir.resolve("sixth.yaml");

    Files.writeString(sixth, sixthTenant());
    JsonObject added = announcements.poll(10, TimeUnit.SECONDS);
    assertThat(added).isEqualTo(report(List.of("sixth"), List.of(), List.of(), new JsonArray()));
    assertThat(registry.get("sixth")).hasValueSatisfying(t -> assertThat(t.requestNumberPrefix()).isEqualTo("SIXTH"));
    String goodVersion = registry.snapshot().version("sixth").orElseThrow();

    Files.writeString(sixth, sixthTenant().replace("primary-color: \"#1d4f91\"", "primary-color: blue"));
    JsonObject refused = announcements.poll(10, TimeUnit.SECONDS);
    assertThat(refused).isEqualTo(report(List.of(), List.of(), List.of(), new JsonArray().add(new JsonObject()
        .put("file", "sixth.yaml")
        .put("errors", new JsonArray().add(new JsonObject()
            .put("path", "/branding/primary-color").put("reason", "\"blue\" is not a colour \"#rrggbb\""))))));
    assertThat(registry.snapshot().version("sixth")).contains(goodVersion);

    Files.delete(sixth);
    JsonObject removed = announcements.poll(10, TimeUnit.SECONDS);
    assertThat(removed).isEqualTo(report(List.of(), List.of(), List.of("sixth"), new JsonArray()));
    assertThat(registry.get("sixth")).isEmpty();
    assertThat(registry.all()).containsOnlyKeys(REAL_TENANTS);
    assertThat(announcements.poll(500, TimeUnit.MILLISECONDS)).as("an unchanged directory is not announced").isNull();
    context.completeNow();
  }

  @Test
  @DisplayName("A new file whose request-number prefix another tenant uses is refused; the other keeps it")
  void prefixClashIsRefused(VertxTestContext context) throws Exception {
    registry.loadInitial().await(10, TimeUnit.SECONDS);
    Files.writeString(dir.resolve("sixth.yaml"), sixthTenant().replace("request-number-prefix: SIXTH", "request-number-prefix: IMC"));

    ReloadReport report = registry.reload().await(10, TimeUnit.SECONDS);

    assertThat(report.added()).isEmpty();
    assertThat(report.refused()).singleElement().satisfies(file -> assertThat(file.problems())
        .extracting(TenantConfigException::getMessage)
        .containsExactly("sixth.yaml: /request-number-prefix: request-number-prefix IMC is also used by imc.yaml"));
    assertThat(registry.get("imc")).isPresent();
    assertThat(registry.get("sixth")).isEmpty();
    context.completeNow();
  }

  @Test
  @DisplayName("A changed production calendar changes the version of every tenant that uses it")
  void calendarChangeChangesItsTenants(VertxTestContext context) throws Exception {
    registry.loadInitial().await(10, TimeUnit.SECONDS);
    Path ru = dir.resolve("calendars/ru.yaml");
    Files.writeString(ru, Files.readString(ru).replace("working-days: []", "working-days: [2026-12-26]"));

    ReloadReport report = registry.reload().await(10, TimeUnit.SECONDS);

    assertThat(report.changed()).containsExactly("asmo", "cik-alekon", "imc", "risk-pro");
    assertThat(registry.snapshot().calendar("ru").orElseThrow().year(2026).orElseThrow().workingDays()).hasSize(1);
    context.completeNow();
  }

  @Test
  @DisplayName("A broken calendar is refused and its last good version stays in force for its tenants")
  void brokenCalendarKeepsLastGoodVersion(VertxTestContext context) throws Exception {
    registry.loadInitial().await(10, TimeUnit.SECONDS);
    Files.writeString(dir.resolve("calendars/ru.yaml"), "id: ru\nyears: [\n");

    ReloadReport report = registry.reload().await(10, TimeUnit.SECONDS);

    assertThat(report.refused()).extracting(ReloadReport.RefusedFile::file).containsExactly("calendars/ru.yaml");
    assertThat(report.changed()).isEmpty();
    assertThat(registry.snapshot().calendar("ru").orElseThrow().hasYear(2026)).isTrue();
    context.completeNow();
  }

  @Test
  @DisplayName("Deleting a calendar still in use refuses its tenants, which keep their last good version and calendar")
  void deletedCalendarInUseIsKept(VertxTestContext context) throws Exception {
    registry.loadInitial().await(10, TimeUnit.SECONDS);
    Files.delete(dir.resolve("calendars/ru.yaml"));

    ReloadReport report = registry.reload().await(10, TimeUnit.SECONDS);

    assertThat(report.refused()).extracting(ReloadReport.RefusedFile::file)
        .containsExactly("asmo.yaml", "cik-alekon.yaml", "imc.yaml", "risk-pro.yaml");
    assertThat(report.refused().get(0).problems()).extracting(TenantConfigException::getMessage)
        .containsExactly("asmo.yaml: /calendar/production-calendar: unknown production calendar \"ru\"; "
            + "loaded calendars: none (files calendars/<id>.yaml)");
    assertThat(registry.all()).containsOnlyKeys(REAL_TENANTS);
    assertThat(registry.snapshot().calendar("ru")).isPresent();
    context.completeNow();
  }

  @Test
  @DisplayName("Reloading an unchanged directory reports nothing")
  void unchangedReloadReportsNothing(VertxTestContext context) throws Exception {
    registry.loadInitial().await(10, TimeUnit.SECONDS);

    assertThat(registry.reload().await(10, TimeUnit.SECONDS).isEmpty()).isTrue();
    context.completeNow();
  }

  private String sixthTenant() throws IOException {
    return Files.readString(dir.resolve("asmo.yaml"))
        .replace("id: asmo", "id: sixth")
        .replace("request-number-prefix: ASMO", "request-number-prefix: SIXTH");
  }

  private static JsonObject report(List<String> added, List<String> changed, List<String> removed, JsonArray refused) {
    return new JsonObject().put("added", new JsonArray(added)).put("changed", new JsonArray(changed))
        .put("removed", new JsonArray(removed)).put("refused", refused);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : paths.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
