package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.store.SearchStore.Hit;
import dev.otklik.store.TicketStore.Caller;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SearchStoreTest {

  private static final TenantTransactions tx = TestDatabase.transactions();
  private static final SearchStore search = new SearchStore(tx);

  private static Caller caller(UserAccount user) {
    return new Caller(user.id(), user.role(), user.organisationId());
  }

  private static List<String> numbers(TestSearchData data, UserAccount who, String query) {
    return search.search(data.tenant, caller(who), query, 0, 50).await().items().stream().map(Hit::number).toList();
  }

  @Test
  @DisplayName("Russian morphology: searching «ошибки» (or «ОШИБКАМИ») finds requests that say «ошибка» and «ошибкой»")
  void russianWordFormsMatch() {
    TestSearchData data = new TestSearchData(tx);
    String subject = data.request(data.anna, "Ошибка при печати справки", "Принтер молчит.");
    String description = data.request(data.anna, "Не формируется отчёт", "Программа закрывается с ошибкой 0x17.");
    data.request(data.anna, "Вопрос по лицензии", "Сколько рабочих мест входит в договор?");

    assertThat(numbers(data, data.anna, "ошибки")).containsExactlyInAnyOrder(subject, description);
    assertThat(numbers(data, data.agent, "ОШИБКАМИ")).containsExactlyInAnyOrder(subject, description);
  }

  @Test
  @DisplayName("English stemming: searching \"crash exported\" finds a request that says \"crashes when exporting\"")
  void englishWordFormsMatch() {
    TestSearchData data = new TestSearchData(tx);
    String crash = data.request(data.anna, "Report module", "The report crashes when exporting to PDF.");
    data.request(data.anna, "Licence question", "How many seats does the contract include?");

    assertThat(numbers(data, data.anna, "crash exported")).containsExactly(crash);
    assertThat(numbers(data, data.anna, "\"report crashes\" -licence")).containsExactly(crash);
  }

  @Test
  @DisplayName("the subject ranks above a mere mention in the description, and the snippet marks the matched words")
  void subjectRanksFirstAndSnippetMarksMatches() {
    TestSearchData data = new TestSearchData(tx);
    String inDescription = data.request(data.anna, "Вопрос", "Иногда при сохранении выходит ошибка, но редко.");
    String inSubject = data.request(data.anna, "Ошибка сохранения документа", "Документ не сохраняется.");

    List<Hit> hits = search.search(data.tenant, caller(data.anna), "ошибка", 0, 10).await().items();

    assertThat(hits).extracting(Hit::number).containsExactly(inSubject, inDescription);
    assertThat(hits.get(0).matchedIn()).isEqualTo("request");
    assertThat(hits.get(0).status()).isEqualTo("new");
    assertThat(hits.get(0).subject()).isEqualTo("Ошибка сохранения документа");
    assertThat(hits.get(1).snippet()).contains(SearchStore.MATCH_START + "ошибка" + SearchStore.MATCH_END);
  }

  @Test
  @DisplayName("an internal note's text is found by an agent but never by the customer; a public comment is found by both")
  void internalNotesAreForStaffOnly() {
    TestSearchData data = new TestSearchData(tx);
    String number = data.request(data.anna, "Медленно открывается журнал", "Журнал открывается минуту.");
    data.comment(number, data.agent, "Похоже на утечку памяти в модуле отчётов, передаю разработчикам.", true);
    data.comment(number, data.anna, "Прикладываю снимок экрана с индикатором загрузки.", false);

    List<Hit> byAgent = search.search(data.tenant, caller(data.agent), "утечка памяти", 0, 10).await().items();

    assertThat(byAgent).extracting(Hit::number).containsExactly(number);
    assertThat(byAgent.get(0).matchedIn()).isEqualTo("internal-note");
    assertThat(numbers(data, data.anna, "утечка памяти")).isEmpty();
    assertThat(search.search(data.tenant, caller(data.anna), "снимок экрана", 0, 10).await().items())
        .extracting(Hit::number, Hit::matchedIn).containsExactly(org.assertj.core.groups.Tuple.tuple(number, "comment"));
    assertThat(numbers(data, data.agent, "снимок экрана")).containsExactly(number);
  }

  @Test
  @DisplayName("a customer never finds another organisation's request, and nobody finds another tenant's")
  void searchStaysInsideOrganisationAndTenant() {
    TestSearchData data = new TestSearchData(tx);
    TestSearchData other = new TestSearchData(tx);
    String annas = data.request(data.anna, "Сбой синхронизации с 1С", "Синхронизация падает ночью.");
    String boriss = data.request(data.boris, "Сбой синхронизации склада", "Остатки не совпадают.");
    other.request(other.anna, "Сбой синхронизации с 1С", "Синхронизация падает ночью.");

    assertThat(numbers(data, data.anna, "сбой синхронизации")).containsExactly(annas);
    assertThat(numbers(data, data.boris, "сбой синхронизации")).containsExactly(boriss);
    assertThat(numbers(data, data.agent, "сбой синхронизации")).containsExactlyInAnyOrder(annas, boriss);
    assertThat(search.search(data.tenant, caller(data.agent), "сбой синхронизации", 0, 10).await().total()).isEqualTo(2);
  }

  @Test
  @DisplayName("row-level security holds even if the statement were asked for another tenant's requests")
  void rowLevelSecurityBacksTheTenantFilter() {
    TestSearchData data = new TestSearchData(tx);
    TestSearchData other = new TestSearchData(tx);
    other.request(other.anna, "Сбой печати", "Принтер не печатает.");
    NamedSql.Statement statement = NamedSql.load("search").get("search");

    long seen = tx.inTenant(data.tenant, conn -> conn.preparedQuery(statement.sql())
        .execute(statement.tuple(Params.of("tenant_id", other.tenant, "q", "принтер", "scope_organisations", null, "scope_user", null,
            "include_internal", true, "headline_options", "", "offset", 0L, "limit", 10L)))
        .map(rows -> rows.iterator().next().getLong("total"))).await();

    assertThat(seen).isZero();
    assertThat(numbers(other, other.agent, "принтер")).as("the same statement in its own tenant finds it").hasSize(1);
  }

  @Test
  @DisplayName("an attachment's file name is found by its parts, and a request is listed once however many of its texts match")
  void attachmentNamesAreFound() {
    TestSearchData data = new TestSearchData(tx);
    String number = data.request(data.anna, "Не печатается накладная", "Смотрите приложенные файлы.");
    data.attachment(number, data.anna, "журнал_ошибок_печати.log");
    data.attachment(number, data.anna, "crash-dump.txt");
    data.comment(number, data.anna, "Журнал приложил.", false);

    assertThat(search.search(data.tenant, caller(data.agent), "dump", 0, 10).await().items())
        .extracting(Hit::number, Hit::matchedIn).containsExactly(org.assertj.core.groups.Tuple.tuple(number, "attachment"));
    assertThat(numbers(data, data.anna, "журнал")).containsExactly(number);
    assertThat(numbers(data, data.anna, "журнал_ошибок_печати.log")).containsExactly(number);
  }

  @Test
  @DisplayName("results are paged with the total of all matches, and a query of only stop words finds nothing")
  void pagingAndEmptyQueries() {
    TestSearchData data = new TestSearchData(tx);
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      created.add(data.request(data.anna, "Обновление версии " + i, "Нужно обновление."));
    }

    Page<Hit> page = search.search(data.tenant, caller(data.anna), "обновление", 1, 1).await();

    assertThat(page.total()).isEqualTo(3);
    assertThat(page.items()).hasSize(1);
    assertThat(created).contains(page.items().get(0).number());
    assertThat(search.search(data.tenant, caller(data.anna), "и the", 0, 10).await().total()).isZero();
    assertThat(search.search(data.tenant, caller(data.anna), "обновление", 5, 10).await().items()).isEmpty();
  }

  @Test
  @DisplayName("the search indexes are GIN indexes on requests, comments and attachments, and the search expression can use them")
  void searchIndexesExist() throws Exception {
    List<String> indexes = new ArrayList<>();
    try (Connection c = TestDatabase.superuserConnection();
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%USING gin%' ORDER BY indexname")) {
      while (rs.next()) {
        indexes.add(rs.getString(1));
      }
    }
    assertThat(indexes).contains("ticket_search", "ticket_comment_search", "ticket_attachment_search");
    StringBuilder plan = new StringBuilder();
    try (Connection c = TestDatabase.superuserConnection()) {
      c.createStatement().execute("SET enable_seqscan = off");
      try (ResultSet rs = c.createStatement().executeQuery("EXPLAIN SELECT id FROM ticket "
          + "WHERE otklik_ticket_search_vector(subject, description) @@ otklik_search_query('ошибка')")) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
    }
    assertThat(plan).as("the query's expression is the indexed one").contains("ticket_search");
  }
}
