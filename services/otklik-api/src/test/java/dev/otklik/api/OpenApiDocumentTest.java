package dev.otklik.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Routes need a tenant source to be built; none of them is called here. */
  static final TenantSource NO_TENANTS = new TenantSource() {
    public List<JsonObject> configs() { return List.of(); }
    public Optional<JsonObject> config(String id) { return Optional.empty(); }
    public Optional<Path> logo(String id) { return Optional.empty(); }
    public boolean loaded() { return true; }
    public Future<JsonObject> reload() { return Future.succeededFuture(new JsonObject()); }
  };

  @Test
  @DisplayName("every route the router serves is in the OpenAPI document, and the document lists no route that does not exist")
  void everyRouteIsDocumented() throws Exception {
    Router router = ApiRouter.create(vertx, new ApiOptions("127.0.0.1", 0, 1024, null), NO_TENANTS, null);
    Set<String> served = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null || !route.isExactPath() || route.methods() == null) {
        continue; // cross-cutting handlers: request ids, body, admin guard, fallback
      }
      String templated = path.replaceAll(":([A-Za-z]+)", "{$1}");
      route.methods().forEach(m -> served.add(m.name().toLowerCase() + " " + templated));
    }

    JsonObject doc;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(OpenApiHandler.RESOURCE)) {
      doc = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    Set<String> documented = new TreeSet<>();
    doc.getJsonObject("paths").forEach(p ->
        ((JsonObject) p.getValue()).fieldNames().forEach(m -> documented.add(m + " " + p.getKey())));

    assertThat(doc.getString("openapi")).startsWith("3.1");
    assertThat(served).isNotEmpty();
    assertThat(documented).as("documented operations").isEqualTo(served);
  }
}
