package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AppOptionsTest {

  @Test
  @DisplayName("arguments beat system properties, which beat environment variables")
  void laterSourcesWin() {
    AppOptions options = AppOptions.load(
        Map.of("OTKLIK_HTTP_PORT", "1111", "OTKLIK_DB_POOL_SIZE", "3", "OTKLIK_CLUSTER_MEMBERS", "10.0.0.1, 10.0.0.2:5702"),
        Map.of("otklik.http.port", "2222"),
        new String[] {"--http.port=3333"});
    assertThat(options.httpPort()).isEqualTo(3333);
    assertThat(options.database().poolSize()).isEqualTo(3);
    assertThat(options.database().embedded()).isTrue();
    assertThat(options.clusterMembers()).containsExactly("10.0.0.1", "10.0.0.2:5702");
  }

  @Test
  @DisplayName("an external database url switches off the embedded server and makes the app role the migration role by default")
  void externalDatabase() {
    AppOptions options = AppOptions.load(
        Map.of("OTKLIK_DB_URL", "postgresql://db:5432/otklik", "OTKLIK_DB_USER", "app", "OTKLIK_DB_PASSWORD", "pw"),
        Map.of(), new String[0]);
    assertThat(options.database().embedded()).isFalse();
    assertThat(options.database().migrationUser()).isEqualTo("app");
    var endpoint = dev.otklik.store.DatabaseEndpoint.fromUrl(options.database());
    assertThat(endpoint.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/otklik");
    assertThat(endpoint.appUser()).isEqualTo("app");
  }

  @Test
  @DisplayName("bad settings are refused with a message naming the setting")
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> AppOptions.load(Map.of(), Map.of(), new String[] {"--http.port=eighty"}))
        .hasMessageContaining("http.port must be a whole number");
    assertThatThrownBy(() -> AppOptions.load(Map.of(), Map.of(), new String[] {"--http.port=70000"}))
        .hasMessageContaining("http.port must be between 0 and 65535");
    assertThatThrownBy(() -> AppOptions.load(Map.of(), Map.of(), new String[] {"--no-such=1"}))
        .hasMessageContaining("unknown setting no-such");
    assertThatThrownBy(() -> AppOptions.load(Map.of(), Map.of(), new String[] {"verbose"}))
        .hasMessageContaining("--key=value");
  }

  @Test
  @DisplayName("the README's configuration table lists exactly the settings the launcher reads, with their environment names")
  void readmeDocumentsEverySetting() throws Exception {
    String readme = Files.readString(Path.of("../../README.md"));
    Pattern row = Pattern.compile("(?m)^\\| `([a-z.-]+)` \\| `(OTKLIK_[A-Z_]+)` \\|");
    Map<String, String> documented = new LinkedHashMap<>();
    Matcher m = row.matcher(readme);
    while (m.find()) {
      documented.put(m.group(1), m.group(2));
    }
    Map<String, String> actual = new LinkedHashMap<>();
    AppOptions.KEYS.keySet().forEach(k -> actual.put(k, AppOptions.envName(k)));
    assertThat(documented).isEqualTo(actual);
  }
}
