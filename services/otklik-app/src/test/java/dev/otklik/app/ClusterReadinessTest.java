package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness follows cluster membership. */
class ClusterReadinessTest {

  /** HTTP/1.1 with timeouts: a lost answer fails the test instead of hanging the build. */
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(java.time.Duration.ofSeconds(10)).build();

  @Test
  @DisplayName("a clustered node is ready with its member count once joined, and answers 503 with cluster DOWN once it has left the cluster")
  void readinessFollowsClusterMembership(@TempDir Path work) throws Exception {
    int hazelcastPort;
    try (ServerSocket s = new ServerSocket(0)) {
      hazelcastPort = s.getLocalPort();
    }
    Map<String, String> settings = new HashMap<>();
    settings.put("http.port", "0");
    settings.put("http.host", "127.0.0.1");
    settings.put("http.instances", "1");
    settings.put("data-dir", work.resolve("data").toString());
    settings.put("tenant-config", TestTenantConfig.repositoryDir().toAbsolutePath().toString());
    settings.put("tenant-reload-interval", "PT0S");
    settings.put("jwt.secret", "a-cluster-readiness-test-secret-of-32-bytes");
    settings.put("cluster", "true");
    settings.put("cluster.host", "127.0.0.1");
    settings.put("cluster.port", Integer.toString(hazelcastPort));
    settings.put("cluster.members", "127.0.0.1:" + hazelcastPort);
    OtklikNode node = OtklikNode.start(AppOptions.from(settings));
    try {
      HttpResponse<String> joined = ready(node);
      assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);
      JsonObject body = new JsonObject(joined.body());
      assertThat(body.getJsonObject("checks").getString("cluster")).isEqualTo("UP");
      assertThat(body.getJsonObject("cluster").getInteger("members")).isEqualTo(1);
      assertThat(body.getJsonObject("cluster").getString("nodeId")).isNotBlank();

      Promise<Void> left = Promise.promise();
      ((VertxInternal) node.vertx()).clusterManager().leave(left);
      left.future().await();

      HttpResponse<String> gone = ready(node);
      assertThat(gone.statusCode()).as(gone.body()).isEqualTo(503);
      assertThat(new JsonObject(gone.body()).getJsonObject("checks").getString("cluster")).isEqualTo("DOWN");
    } finally {
      node.stop();
    }
  }

  private static HttpResponse<String> ready(OtklikNode node) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/ready")).timeout(java.time.Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
