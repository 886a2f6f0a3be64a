package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine or Kubernetes runs here, so the deployment files are checked against the
 * application itself: the settings they pass exist, the ports and probes are the node's.
 */
class DeployFilesTest {

  static final Path DEPLOY = TestTenantConfig.repositoryDir().toAbsolutePath().normalize().getParent().resolve("deploy");
  static final Pattern ENV = Pattern.compile("\\bOTKLIK_[A-Z0-9_]+\\b");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Set<String> settingsVariables() {
    return AppOptions.KEYS.keySet().stream().map(AppOptions::envName).collect(Collectors.toCollection(TreeSet::new));
  }

  static Set<String> variablesIn(Path file) throws IOException {
    Matcher m = ENV.matcher(Files.readString(file));
    Set<String> out = new TreeSet<>();
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  static Stream<Path> deployFiles() throws IOException {
    return Files.walk(DEPLOY).filter(Files::isRegularFile)
        .filter(p -> p.toString().matches(".*(Dockerfile|\\.ya?ml|\\.tpl)$"));
  }

  @Test
  @DisplayName("every OTKLIK_* variable in the Dockerfile, compose file and chart is a setting the node reads")
  void everyVariableIsARealSetting() throws IOException {
    Set<String> known = settingsVariables();
    for (Path file : deployFiles().toList()) {
      assertThat(variablesIn(file)).as(DEPLOY.relativize(file).toString()).isSubsetOf(known);
    }
  }

  @Test
  @DisplayName("the compose file parses, runs three nodes on the node's ports with a mail catcher, and probes /ready")
  void composeFileMatchesTheNode() throws IOException {
    String text = Files.readString(DEPLOY.resolve("compose.yaml"));
    JsonNode compose = YAML.readTree(text);
    JsonNode services = compose.get("services");
    assertThat(services.has("postgres")).isTrue();
    assertThat(services.has("mailpit")).isTrue();
    // The nodes share the x-node block (a YAML merge key, which Jackson does not expand).
    JsonNode node = compose.get("x-node");
    assertThat(node.get("environment").get("OTKLIK_MAIL_SMTP_HOST").asText()).isEqualTo("mailpit");
    assertThat(node.get("environment").get("OTKLIK_CLUSTER_MEMBERS").asText())
        .contains("node-1:5701").contains("node-2:5701").contains("node-3:5701");
    assertThat(node.get("healthcheck").get("test").toString()).contains("GET /ready");
    for (String name : new String[] {"node-1", "node-2", "node-3"}) {
      assertThat(services.get(name).get("ports").get(0).asText())
          .endsWith(":" + AppOptions.KEYS.get("http.port")[0]);
    }
    assertThat(text.split("<<: \\*node", -1)).hasSize(4);
  }

  @Test
  @DisplayName("the Helm chart's values parse, its pods expose the node's ports, probe /ready and /health, and a PodDisruptionBudget limits drains")
  void helmChartMatchesTheNode() throws IOException {
    Path chart = DEPLOY.resolve("helm/otklik");
    JsonNode values = YAML.readTree(chart.resolve("values.yaml").toFile());
    assertThat(values.get("http").get("port").asInt()).isEqualTo(Integer.parseInt(AppOptions.KEYS.get("http.port")[0]));
    assertThat(values.get("cluster").get("port").asInt())
        .isEqualTo(Integer.parseInt(AppOptions.KEYS.get("cluster.port")[0]));
    assertThat(values.get("podDisruptionBudget").get("maxUnavailable").asInt()).isEqualTo(1);
    String deployment = Files.readString(chart.resolve("templates/deployment.yaml"));
    assertThat(deployment).contains("path: /ready").contains("path: /health").contains("secretKeyRef");
    assertThat(Files.readString(chart.resolve("templates/pdb.yaml"))).contains("kind: PodDisruptionBudget");
  }

  @Test
  @DisplayName("the Dockerfile builds in two stages and runs the jar as an unprivileged user with container-aware memory")
  void dockerfileIsMultiStageAndNonRoot() throws IOException {
    String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
    assertThat(Pattern.compile("(?m)^FROM ").matcher(dockerfile).results().count()).isEqualTo(2);
    assertThat(dockerfile).contains("COPY --from=build").contains("USER 10001").contains("MaxRAMPercentage")
        .contains("EXPOSE 8080 5701");
  }
}
