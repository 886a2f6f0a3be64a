package dev.otklik.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.store.TestSearchData;
import dev.otklik.store.UserAccount;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Full-text search over real HTTP against the real embedded PostgreSQL. */
class SearchHandlerTest {

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  /** Requests, comments and files in a new tenant the API serves. */
  private static TestSearchData data() {
    return new TestSearchData(api.tx, api.tenant());
  }

  private static HttpResponse<Buffer> search(UserAccount caller, String tenant, String query) {
    return api.request(HttpMethod.GET, tenant, "/search", api.bearer(caller)).addQueryParam("q", query).send().await();
  }

  private static List<String> numbers(UserAccount caller, String query) {
    HttpResponse<Buffer> response = search(caller, caller.tenantId(), query);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("items").stream()
        .map(item -> ((JsonObject) item).getString("number")).toList();
  }

  @Test
  @DisplayName("over HTTP an agent finds an internal note's text, the customer does not, and another tenant's request never appears")
  void visibilityOverHttp() {
    TestSearchData data = data();
    TestSearchData other = data();
    String number = data.request(data.anna, "Не открывается отчёт", "Окно отчёта пустое.");
    data.comment(number, data.agent, "Клиент на старой версии драйвера, обновить удалённо.", true);
    other.request(other.anna, "Не открывается отчёт", "Окно отчёта пустое.");

    assertThat(numbers(data.agent, "драйвер")).containsExactly(number);
    assertThat(numbers(data.anna, "драйвер")).isEmpty();
    assertThat(numbers(data.anna, "отчёт")).containsExactly(number);
    assertThat(numbers(data.boris, "отчёт")).isEmpty();
    assertThat(numbers(data.agent, "отчёт")).containsExactly(number);
    assertThat(search(other.agent, data.tenant, "отчёт").statusCode()).isEqualTo(403);
  }

  @Test
  @DisplayName("a hit carries number, subject, status and an HTML-escaped snippet with the matched words in <mark>")
  void hitShapeAndSnippet() {
    TestSearchData data = data();
    String number = data.request(data.anna, "Ошибка в форме", "После ввода <script>alert(1)</script> появляется ошибка сохранения.");

    HttpResponse<Buffer> response = search(data.anna, data.tenant, "ошибки сохранения");

    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getLong("total")).isEqualTo(1);
    JsonObject hit = body.getJsonArray("items").getJsonObject(0);
    assertThat(hit.getString("number")).isEqualTo(number);
    assertThat(hit.getString("subject")).isEqualTo("Ошибка в форме");
    assertThat(hit.getString("status")).isEqualTo("new");
    assertThat(hit.getString("matchedIn")).isEqualTo("request");
    assertThat(hit.getString("snippet")).contains("<mark>ошибка</mark>").contains("<mark>сохранения</mark>")
        .doesNotContain("<script>");
  }

  @Test
  @DisplayName("a missing or overlong query is 400 search.query-invalid, a bad limit 400 page.invalid")
  void badQueriesAreRefused() {
    TestSearchData data = data();
    HttpResponse<Buffer> missing = api.request(HttpMethod.GET, data.tenant, "/search", api.bearer(data.agent)).send().await();
    HttpResponse<Buffer> overlong = search(data.agent, data.tenant, "ы".repeat(201));
    HttpResponse<Buffer> badLimit = api.request(HttpMethod.GET, data.tenant, "/search?q=x&limit=0", api.bearer(data.agent))
        .send().await();

    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.bodyAsJsonObject().getString("code")).isEqualTo("search.query-invalid");
    assertThat(overlong.bodyAsJsonObject().getString("code")).isEqualTo("search.query-invalid");
    assertThat(badLimit.bodyAsJsonObject().getString("code")).isEqualTo("page.invalid");
  }

  @Test
  @DisplayName("snippets escape HTML and turn the match markers into <mark>")
  void snippetHtmlEscapes() {
    String marked = "a <b> & " + dev.otklik.store.SearchStore.MATCH_START + "\"x\"'" + dev.otklik.store.SearchStore.MATCH_END;
    assertThat(SearchHandler.snippetHtml(marked)).isEqualTo("a &lt;b&gt; &amp; <mark>&quot;x&quot;&#39;</mark>");
  }
}
