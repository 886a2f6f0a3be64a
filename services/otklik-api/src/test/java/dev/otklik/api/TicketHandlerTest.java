package dev.otklik.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.api.auth.AccessTokens;
import dev.otklik.api.auth.JwtKeys;
import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.core.time.BusinessCalendar;
import dev.otklik.store.Organisation;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.TestPeople;
import dev.otklik.store.TestSla;
import dev.otklik.store.TestTenants;
import dev.otklik.store.TicketStore;
import dev.otklik.store.UserAccount;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Requests over real HTTP against the real embedded PostgreSQL, with a tenant config that has every rule. */
class TicketHandlerTest {

  static final JwtKeys KEYS = JwtKeys.hs256("a-ticket-test-secret-of-at-least-32-bytes", "otklik", "otklik-api",
      Duration.ofMinutes(15));
  static final Set<String> TENANTS = ConcurrentHashMap.newKeySet();
  /** Tenants whose source also gives the typed config and calendar of {@link TestSla} (SLA deadlines on). */
  static final Set<String> SLA_TENANTS = ConcurrentHashMap.newKeySet();
  /** Tenants whose source gives a calendar whose next nine days are holidays (and no typed config). */
  static final Map<String, BusinessCalendar> HOLIDAY_CALENDARS = new ConcurrentHashMap<>();

  static JsonObject config(String id) {
    return new JsonObject().put("id", id).put("enabled", true).put("request-number-prefix", "ACME")
        .put("calendar", new JsonObject().put("time-zone", "Europe/Moscow"))
        .put("taxonomy", new JsonObject()
            .put("kinds", items("incident", "question"))
            .put("categories", items("error", "support"))
            .put("priorities", items("urgent", "normal", "low"))
            .put("severities", items("s1", "s2"))
            .put("required-fields", new JsonArray().add("subject").add("description").add("priority")))
        .put("request-form", new JsonObject().put("fields", new JsonArray()
            .add(new JsonObject().put("id", "contact-email").put("type", "email").put("required", true))
            .add(new JsonObject().put("id", "first-failure-date").put("type", "date").put("required", false))
            .add(new JsonObject().put("id", "module").put("type", "select").put("required", false)
                .put("options", items("billing", "reports")))))
        .put("catalogue", new JsonArray().add(new JsonObject().put("id", "1").put("children", new JsonArray()
            .add(new JsonObject().put("id", "1.1"))
            .add(new JsonObject().put("id", "1.2").put("requestable", false)))))
        .put("workflow", new JsonObject().put("customer-may-close", true).put("statuses", new JsonArray()
            .add(new JsonObject().put("id", "new").put("name", new JsonObject().put("ru", "Новое").put("en", "New")))))
        .put("intake", new JsonObject().put("phone", new JsonObject().put("callback-within", "3 working-days")));
  }

  static JsonArray items(String... ids) {
    JsonArray a = new JsonArray();
    for (String id : ids) {
      a.add(new JsonObject().put("id", id));
    }
    return a;
  }

  static final TenantSource SOURCE = new TenantSource() {
    public List<JsonObject> configs() { return TENANTS.stream().map(TicketHandlerTest::config).toList(); }
    public Optional<JsonObject> config(String id) { return TENANTS.contains(id) ? Optional.of(TicketHandlerTest.config(id)) : Optional.empty(); }
    public Optional<Path> logo(String id) { return Optional.empty(); }
    public boolean loaded() { return true; }
    public Future<JsonObject> reload() { return Future.succeededFuture(new JsonObject()); }
    public Optional<TenantConfig> tenant(String id) {
      return SLA_TENANTS.contains(id) ? Optional.of(TestSla.tenantConfig(id)) : Optional.empty();
    }
    public Optional<BusinessCalendar> calendar(String id) {
      return SLA_TENANTS.contains(id) ? Optional.of(TestSla.calendar()) : Optional.ofNullable(HOLIDAY_CALENDARS.get(id));
    }
  };

  static Vertx vertx;
  static WebClient client;
  static AccessTokens tokens;
  static final TenantTransactions tx = TestDatabase.transactions();

  /** One tenant's people: customers at two organisations and one of each staff role. */
  record Desk(String id, Organisation org, Organisation otherOrg, UserAccount customer, UserAccount colleague,
      UserAccount otherCustomer, UserAccount agent, UserAccount coordinator, UserAccount admin) {}

  static Desk desk() {
    String id = TestTenants.create(tx);
    TENANTS.add(id);
    Organisation org = TestPeople.organisation(tx, id);
    Organisation other = TestPeople.organisation(tx, id);
    return new Desk(id, org, other, TestPeople.user(tx, id, Role.CUSTOMER, org.id()),
        TestPeople.user(tx, id, Role.CUSTOMER, org.id()), TestPeople.user(tx, id, Role.CUSTOMER, other.id()),
        TestPeople.user(tx, id, Role.AGENT, null), TestPeople.user(tx, id, Role.COORDINATOR, null),
        TestPeople.user(tx, id, Role.TENANT_ADMIN, null));
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    tokens = new AccessTokens(vertx, KEYS);
    ApiOptions options = new ApiOptions("127.0.0.1", 0, 65536, null, KEYS, ApiOptions.DEFAULT_REFRESH_TTL,
        100_000, 100_000);
    client = TestApi.serve(vertx, options, SOURCE);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  static HttpRequest<Buffer> call(HttpMethod method, String tenant, String path, UserAccount as) {
    HttpRequest<Buffer> r = client.request(method, "/api/v1/tenants/" + tenant + "/requests" + path);
    if (as != null) {
      r.putHeader("Authorization", "Bearer " + tokens.issue(as).token());
    }
    return r;
  }

  static HttpResponse<Buffer> send(HttpMethod method, String tenant, String path, UserAccount as, Object body) {
    HttpRequest<Buffer> r = call(method, tenant, path, as);
    return (body == null ? r.send() : body instanceof JsonObject o ? r.sendJsonObject(o)
        : r.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer((String) body))).await();
  }

  static JsonObject portalRequest(String subject) {
    return new JsonObject().put("subject", subject).put("description", "Отчёт не строится").put("priority", "normal")
        .put("service", "1.1").put("form", new JsonObject().put("contact-email", "it@client.example"));
  }

  static String create(Desk d, UserAccount as, String subject) {
    HttpResponse<Buffer> r = send(HttpMethod.POST, d.id(), "", as, portalRequest(subject));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("number");
  }

  static String etag(Desk d, String number, UserAccount as) {
    return send(HttpMethod.GET, d.id(), "/" + number, as, null).getHeader("ETag");
  }

  static String code(HttpResponse<Buffer> r) {
    return r.statusCode() + (r.statusCode() >= 400 ? " " + r.bodyAsJsonObject().getString("code") : "");
  }

  @Test
  @DisplayName("a customer files a request: it gets the next ACME-<year>-NNNNNN number, ETag 1, the tenant's status label, and shows up in the list")
  void customerFilesARequest() {
    Desk d = desk();
    HttpResponse<Buffer> r = send(HttpMethod.POST, d.id(), "", d.customer(), portalRequest("Не строится отчёт"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    JsonObject t = r.bodyAsJsonObject();
    int year = OffsetDateTime.now(ZoneId.of("Europe/Moscow")).getYear();
    assertThat(t.getString("number")).isEqualTo("ACME-" + year + "-000001");
    assertThat(r.getHeader("ETag")).isEqualTo("\"1\"");
    assertThat(r.getHeader("Location")).endsWith("/requests/" + t.getString("number"));
    assertThat(t.getString("channel")).isEqualTo("portal");
    assertThat(t.getString("organisationId")).isEqualTo(d.org().id().toString());
    assertThat(t.getJsonObject("statusLabel").getString("ru")).isEqualTo("Новое");
    JsonObject page = send(HttpMethod.GET, d.id(), "?status=new&priority=normal&sort=-created", d.agent(), null)
        .bodyAsJsonObject();
    assertThat(page.getLong("total")).isEqualTo(1);
    assertThat(page.getJsonArray("items").getJsonObject(0).getString("number")).isEqualTo(t.getString("number"));
  }

  @Test
  @DisplayName("50 concurrent creations over HTTP in one tenant get 50 distinct, gapless numbers")
  void concurrentCreationsOverHttpAreGapless() {
    Desk d = desk();
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(call(HttpMethod.POST, d.id(), "", i % 2 == 0 ? d.customer() : d.colleague())
          .sendJsonObject(portalRequest("parallel " + i)));
    }
    Future.all(calls).await();
    TreeSet<Integer> seqs = new TreeSet<>();
    for (Future<HttpResponse<Buffer>> c : calls) {
      assertThat(c.result().statusCode()).isEqualTo(201);
      String number = c.result().bodyAsJsonObject().getString("number");
      seqs.add(Integer.parseInt(number.substring(number.lastIndexOf('-') + 1)));
    }
    assertThat(seqs).hasSize(50);
    assertThat(seqs.first()).isEqualTo(1);
    assertThat(seqs.last()).isEqualTo(50);
  }

  @Test
  @DisplayName("role matrix: each role gets what it may on every endpoint, and another organisation or tenant gets 403/404 and no data, writing nothing")
  void roleMatrix() throws Exception {
    Desk d = desk();
    Desk foreign = desk();
    String n = create(d, d.customer(), "SECRET-SUBJECT");
    String attachmentId = call(HttpMethod.POST, d.id(), "/" + n + "/attachments?name=log.txt", d.customer())
        .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("log")).await()
        .bodyAsJsonObject().getString("id");
    send(HttpMethod.POST, d.id(), "/" + n + "/comments", d.agent(),
        new JsonObject().put("body", "INTERNAL-NOTE").put("internal", true));

    // Reads: method, path; expected for customer (own org), agent, coordinator, admin.
    Map<String, List<Integer>> reads = new LinkedHashMap<>();
    reads.put("/" + n, List.of(200, 200, 200, 200));
    reads.put("/" + n + "/comments", List.of(200, 200, 200, 200));
    reads.put("/" + n + "/attachments", List.of(200, 200, 200, 200));
    reads.put("/" + n + "/attachments/" + attachmentId, List.of(200, 200, 200, 200));
    reads.put("/" + n + "/events", List.of(200, 200, 200, 200));
    reads.put("/" + n + "/worklog", List.of(403, 200, 200, 200));
    List<UserAccount> roles = List.of(d.customer(), d.agent(), d.coordinator(), d.admin());
    for (var e : reads.entrySet()) {
      for (int i = 0; i < roles.size(); i++) {
        HttpResponse<Buffer> r = send(HttpMethod.GET, d.id(), e.getKey(), roles.get(i), null);
        assertThat(r.statusCode()).as(roles.get(i).role() + " GET " + e.getKey()).isEqualTo(e.getValue().get(i));
      }
    }
    assertThat(send(HttpMethod.GET, d.id(), "/" + n + "/comments", d.customer(), null).bodyAsString())
        .doesNotContain("INTERNAL-NOTE");
    assertThat(send(HttpMethod.GET, d.id(), "/" + n + "/comments", d.agent(), null).bodyAsString())
        .contains("INTERNAL-NOTE");
    assertThat(send(HttpMethod.GET, d.id(), "/" + n + "/events", d.customer(), null).bodyAsString())
        .doesNotContain("internal-note-added").contains("created");

    // Writes by role.
    assertThat(code(patch(d, n, d.customer(), new JsonObject().put("priority", "urgent")))).isEqualTo("403 ticket.staff-only");
    assertThat(code(patch(d, n, d.agent(), new JsonObject().put("priority", "urgent")))).isEqualTo("200");
    assertThat(code(patch(d, n, d.agent(), new JsonObject().put("assigneeId", d.agent().id().toString()))))
        .isEqualTo("403 ticket.field-forbidden");
    assertThat(code(patch(d, n, d.coordinator(), new JsonObject().put("assigneeId", d.agent().id().toString()))))
        .isEqualTo("200");
    assertThat(code(patch(d, n, d.admin(), new JsonObject().put("category", "error").put("plannedDate", "2026-12-01"))))
        .isEqualTo("200");
    assertThat(code(patch(d, n, d.coordinator(), new JsonObject().put("assigneeId", d.customer().id().toString()))))
        .isEqualTo("400 ticket.assignee-invalid");
    for (UserAccount who : roles) {
      assertThat(code(send(HttpMethod.POST, d.id(), "/" + n + "/comments", who, new JsonObject().put("body", "hi"))))
          .isEqualTo("201");
      assertThat(code(send(HttpMethod.POST, d.id(), "/" + n + "/worklog", who,
          new JsonObject().put("minutes", 15).put("description", "checked logs"))))
          .isEqualTo(who.role() == Role.CUSTOMER ? "403 ticket.staff-only" : "201");
    }
    assertThat(code(send(HttpMethod.POST, d.id(), "/" + n + "/comments", d.customer(),
        new JsonObject().put("body", "psst").put("internal", true)))).isEqualTo("403 ticket.staff-only");

    // Another organisation of the same tenant, and other tenants: refused, and nothing leaks.
    Map<String, Long> before = counts(d.id());
    UserAccount stranger = d.otherCustomer();
    for (String path : reads.keySet()) {
      assertThat(send(HttpMethod.GET, d.id(), path, stranger, null).statusCode()).as("other org GET " + path).isIn(403, 404);
      assertThat(send(HttpMethod.GET, d.id(), path, foreign.agent(), null).statusCode()).as("foreign token " + path).isEqualTo(403);
      assertThat(send(HttpMethod.GET, foreign.id(), path.replace(attachmentId, attachmentId), foreign.admin(), null).statusCode())
          .as("foreign tenant's own path " + path).isEqualTo(404);
    }
    List<UserAccount> outsiders = List.of(stranger, foreign.admin());
    for (UserAccount who : outsiders) {
      String tenant = who == stranger ? d.id() : foreign.id();
      List<HttpResponse<Buffer>> writes = List.of(
          send(HttpMethod.POST, tenant, "/" + n + "/comments", who, new JsonObject().put("body", "x")),
          send(HttpMethod.POST, tenant, "/" + n + "/transitions", who, new JsonObject().put("action", "cancel")),
          send(HttpMethod.POST, tenant, "/" + n + "/worklog", who, new JsonObject().put("minutes", 1).put("description", "x")),
          call(HttpMethod.PATCH, tenant, "/" + n, who).putHeader("If-Match", "\"1\"")
              .sendJsonObject(new JsonObject().put("priority", "low")).await(),
          call(HttpMethod.POST, tenant, "/" + n + "/attachments?name=a.txt", who).putHeader("Content-Type", "text/plain")
              .sendBuffer(Buffer.buffer("x")).await());
      for (HttpResponse<Buffer> w : writes) {
        assertThat(w.statusCode()).as(who.role() + " write").isIn(403, 404);
        assertThat(w.bodyAsString()).doesNotContain("SECRET-SUBJECT");
      }
    }
    for (HttpResponse<Buffer> w : List.of(
        send(HttpMethod.POST, d.id(), "/" + n + "/comments", foreign.agent(), new JsonObject().put("body", "x")),
        send(HttpMethod.GET, d.id(), "", foreign.agent(), null))) {
      assertThat(code(w)).isEqualTo("403 auth.wrong-tenant");
    }
    assertThat(send(HttpMethod.GET, d.id(), "", stranger, null).bodyAsJsonObject().getLong("total")).isZero();
    assertThat(send(HttpMethod.GET, foreign.id(), "", foreign.admin(), null).bodyAsString()).doesNotContain("SECRET-SUBJECT");
    assertThat(send(HttpMethod.GET, d.id(), "", d.customer(), null).bodyAsJsonObject().getLong("total")).isEqualTo(1);
    assertThat(counts(d.id())).isEqualTo(before);
  }

  static HttpResponse<Buffer> patch(Desk d, String n, UserAccount as, JsonObject body) {
    String tag = etag(d, n, d.agent());
    return call(HttpMethod.PATCH, d.id(), "/" + n, as).putHeader("If-Match", tag).sendJsonObject(body).await();
  }

  static Map<String, Long> counts(String tenant) throws Exception {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String table : List.of("ticket", "ticket_comment", "ticket_attachment", "ticket_worklog", "ticket_event", "outbox")) {
      m.put(table, TestApi.rows(table, tenant));
    }
    return m;
  }

  @Test
  @DisplayName("workflow over HTTP: triage, start, propose; the customer cannot take agent actions (403) and accepts the proposal")
  void proposeAndAccept() {
    Desk d = desk();
    String n = create(d, d.customer(), "workflow");
    for (String action : List.of("triage", "start", "propose-solution")) {
      assertThat(code(transition(d, n, d.customer(), action))).isEqualTo("403 ticket.action-forbidden");
      assertThat(code(transition(d, n, d.agent(), action))).isEqualTo("200");
    }
    assertThat(code(transition(d, n, d.agent(), "accept"))).isEqualTo("403 ticket.action-forbidden");
    assertThat(code(transition(d, n, d.customer(), "dance"))).isEqualTo("400 ticket.value-unknown");
    HttpResponse<Buffer> accepted = transition(d, n, d.customer(), "accept");
    assertThat(accepted.bodyAsJsonObject().getString("status")).isEqualTo("accepted");
    assertThat(accepted.getHeader("ETag")).isEqualTo("\"5\"");
    assertThat(code(transition(d, n, d.customer(), "cancel"))).isEqualTo("409 ticket.transition-invalid");
    JsonArray events = send(HttpMethod.GET, d.id(), "/" + n + "/events", d.customer(), null).bodyAsJsonObject()
        .getJsonArray("items");
    assertThat(events.size()).isEqualTo(5);
    assertThat(events.getJsonObject(4).getJsonObject("after").getString("status")).isEqualTo("accepted");
    assertThat(send(HttpMethod.GET, d.id(), "/" + n + "/events?after=" + events.getJsonObject(3).getLong("sequence"),
        d.customer(), null).bodyAsJsonObject().getJsonArray("items").size()).isEqualTo(1);
  }

  @Test
  @DisplayName("the request form is submitted after registration: checked like on create (400 naming the field), by the customer or staff, recorded as a form-received event; another organisation gets 404")
  void formSubmittedAfterRegistration() {
    Desk d = desk();
    JsonObject filed = new JsonObject().put("subject", "Звонок").put("description", "Без анкеты")
        .put("priority", "normal").put("channel", "phone").put("organisationId", d.org().id().toString())
        .put("requesterId", d.customer().id().toString());
    HttpResponse<Buffer> created = send(HttpMethod.POST, d.id(), "", d.agent(), filed);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String n = created.bodyAsJsonObject().getString("number");
    String path = "/" + n + "/form";
    assertThat(code(send(HttpMethod.POST, d.id(), path, d.customer(), new JsonObject().put("form",
        new JsonObject().put("colour", "red"))))).isEqualTo("400 request.field-unknown");
    assertThat(code(send(HttpMethod.POST, d.id(), path, d.customer(), new JsonObject().put("form",
        new JsonObject())))).startsWith("400 request.field-");
    assertThat(code(send(HttpMethod.POST, d.id(), path, d.otherCustomer(), new JsonObject().put("form",
        new JsonObject().put("contact-email", "it@client.example"))))).isEqualTo("404 ticket.not-found");
    HttpResponse<Buffer> ok = send(HttpMethod.POST, d.id(), path, d.customer(), new JsonObject().put("form",
        new JsonObject().put("contact-email", "it@client.example")));
    assertThat(ok.statusCode()).as(ok.bodyAsString()).isEqualTo(200);
    assertThat(code(send(HttpMethod.POST, d.id(), path, d.agent(), new JsonObject().put("form",
        new JsonObject().put("contact-email", "help@client.example").put("module", "reports"))))).isEqualTo("200");
    JsonArray events = send(HttpMethod.GET, d.id(), "/" + n + "/events", d.customer(), null).bodyAsJsonObject()
        .getJsonArray("items");
    assertThat(events.stream().map(e -> ((JsonObject) e).getString("type")).toList())
        .containsExactly("created", "form-received", "form-received");
    assertThat(transition(d, n, d.agent(), "close").statusCode()).isEqualTo(200);
    assertThat(code(send(HttpMethod.POST, d.id(), path, d.customer(), new JsonObject().put("form",
        new JsonObject().put("contact-email", "it@client.example"))))).isEqualTo("409 ticket.form-closed");
  }

  @Test
  @DisplayName("SLA report: per category and priority, requests, met and breached per target type, median and p90 resolution in business seconds, customer delays; CSV has a header row; agents get 403")
  void slaReport() throws Exception {
    Desk d = desk();
    SLA_TENANTS.add(d.id());
    dev.otklik.store.TestClock clock = new dev.otklik.store.TestClock(Instant.parse("2026-06-10T06:00:00Z"));
    TicketStore store = new TicketStore(tx, clock);
    TicketStore.Caller customer = new TicketStore.Caller(d.customer().id(), Role.CUSTOMER, d.org().id());
    TicketStore.Caller agent = new TicketStore.Caller(d.agent().id(), Role.AGENT, null);
    java.util.function.BiFunction<String, String, String> file = (category, priority) -> store.create(d.id(), customer,
        new TicketStore.NewTicket("ACME", TestSla.MOSCOW, "portal", null, category, priority, null, null, "Сбой",
            "Отчёт", null, d.org().id(), customer.userId(), null, null, null), TestSla.clocks()).await().value().number();
    java.util.function.BiConsumer<String, String> move = (number, action) -> store.transition(d.id(),
        action.equals("reply") ? customer : agent, number, action, current -> switch (action) {
          case "start", "reply" -> WorkflowStatus.IN_PROGRESS;
          case "ask-clarification" -> WorkflowStatus.WAITING_FOR_CUSTOMER;
          default -> WorkflowStatus.SOLUTION_PROPOSED;
        }, TestSla.clocks()).await();
    String a = file.apply("error", "urgent"); // Wed 09:00 MSK
    clock.advance(Duration.ofHours(1));
    move.accept(a, "start");
    clock.advance(Duration.ofHours(3));
    move.accept(a, "propose-solution"); // resolution met after 3 working hours
    String b = file.apply("error", "urgent"); // Wed 13:00
    clock.advance(Duration.ofHours(2));
    move.accept(b, "start");
    move.accept(b, "ask-clarification");
    file.apply("error", "normal");
    clock.advance(Duration.ofDays(7));
    store.fireDueTimers(d.id(), "test", 100).await(); // b's clarification answer and the new request's triage breach

    HttpResponse<Buffer> r = report(d, d.coordinator(), "from=2026-06-01&to=2026-06-30");
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonArray groups = r.bodyAsJsonObject().getJsonArray("groups");
    assertThat(groups.size()).isEqualTo(2);
    JsonObject urgent = groups.getJsonObject(1);
    assertThat(urgent.getString("priority")).isEqualTo("urgent");
    assertThat(urgent.getInteger("requests")).isEqualTo(2);
    assertThat(urgent.getJsonObject("targets").getJsonObject("triage")).isEqualTo(
        new JsonObject().put("met", 2).put("breached", 0));
    assertThat(urgent.getJsonObject("targets").getJsonObject("resolution").getInteger("met")).isEqualTo(1);
    assertThat(urgent.getLong("resolutionMedianSeconds")).isEqualTo(3 * 3600L);
    assertThat(urgent.getLong("resolutionP90Seconds")).isEqualTo(3 * 3600L);
    assertThat(urgent.getValue("reactionMedianSeconds")).as("no reaction target in this SLA").isNull();
    assertThat(urgent.getInteger("customerDelays")).as("b never answered the question, a never answered the proposal").isEqualTo(2);
    JsonObject normal = groups.getJsonObject(0);
    assertThat(normal.getString("priority")).isEqualTo("normal");
    assertThat(normal.getJsonObject("targets").getJsonObject("triage").getInteger("breached")).isEqualTo(1);
    assertThat(normal.getInteger("customerDelays")).isZero();

    HttpResponse<Buffer> csv = report(d, d.admin(), "from=2026-06-01&to=2026-06-30&format=csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.getHeader("Content-Type")).isEqualTo("text/csv; charset=utf-8");
    String[] lines = csv.bodyAsString("UTF-8").split("\r\n");
    assertThat(lines).as("two groups, then the satisfaction table: header and total (no surveys here)").hasSize(6);
    assertThat(lines[0]).startsWith("category,priority,requests,").contains("triage_met,triage_breached")
        .contains("reaction_median_s,reaction_p90_s,resolution_median_s,resolution_p90_s,customer_delays,")
        .endsWith(",surveys_sent,surveys_answered,response_rate,average_rating,rating_1,rating_2,rating_3,rating_4,rating_5");
    assertThat(lines[2]).startsWith("error,urgent,2,").endsWith(",10800,10800,2,0,0,,,0,0,0,0,0");
    assertThat(lines[3]).isEmpty();
    assertThat(lines[5]).isEqualTo("total,,,0,0,,,0,0,0,0,0");

    assertThat(report(d, d.coordinator(), "from=2026-07-01&to=2026-07-31").bodyAsJsonObject().getJsonArray("groups"))
        .isEmpty();
    assertThat(code(report(d, d.agent(), "from=2026-06-01&to=2026-06-30"))).isEqualTo("403 report.forbidden");
    assertThat(code(report(d, d.customer(), "from=2026-06-01&to=2026-06-30"))).isEqualTo("403 report.forbidden");
    assertThat(code(report(d, d.coordinator(), "from=2026-06-30&to=2026-06-01"))).isEqualTo("400 report.period-invalid");
    assertThat(code(report(d, d.coordinator(), "from=June&to=2026-06-01"))).isEqualTo("400 report.period-invalid");
    assertThat(code(report(d, d.coordinator(), "from=2026-06-01&to=2026-06-30&format=xls")))
        .isEqualTo("400 ticket.value-unknown");
  }

  static HttpResponse<Buffer> report(Desk d, UserAccount as, String query) {
    return client.request(HttpMethod.GET, "/api/v1/tenants/" + d.id() + "/reports/sla?" + query)
        .putHeader("Authorization", "Bearer " + tokens.issue(as).token()).send().await();
  }

  static HttpResponse<Buffer> transition(Desk d, String n, UserAccount as, String action) {
    return send(HttpMethod.POST, d.id(), "/" + n + "/transitions", as, new JsonObject().put("action", action));
  }

  @Test
  @DisplayName("PATCH needs If-Match: missing is 428, a stale version 412, and neither changes the request")
  void ifMatchIsRequiredAndChecked() throws Exception {
    Desk d = desk();
    String n = create(d, d.customer(), "concurrency");
    JsonObject change = new JsonObject().put("priority", "urgent");
    assertThat(code(call(HttpMethod.PATCH, d.id(), "/" + n, d.agent()).sendJsonObject(change).await()))
        .isEqualTo("428 request.if-match-required");
    assertThat(code(patch(d, n, d.agent(), change))).isEqualTo("200");
    Map<String, Long> before = counts(d.id());
    assertThat(code(call(HttpMethod.PATCH, d.id(), "/" + n, d.agent()).putHeader("If-Match", "\"1\"")
        .sendJsonObject(new JsonObject().put("priority", "low")).await())).isEqualTo("412 ticket.version-mismatch");
    assertThat(code(call(HttpMethod.POST, d.id(), "/" + n + "/transitions", d.agent()).putHeader("If-Match", "\"1\"")
        .sendJsonObject(new JsonObject().put("action", "triage")).await())).isEqualTo("412 ticket.version-mismatch");
    assertThat(counts(d.id())).isEqualTo(before);
    JsonObject now = send(HttpMethod.GET, d.id(), "/" + n, d.agent(), null).bodyAsJsonObject();
    assertThat(now.getString("priority")).isEqualTo("urgent");
    assertThat(now.getInteger("version")).isEqualTo(2);
  }

  @Test
  @DisplayName("bad input is a 4xx problem naming the field, writes nothing, and the server keeps serving")
  void badInputWritesNothing() throws Exception {
    Desk d = desk();
    Map<Object, String> cases = new LinkedHashMap<>();
    cases.put("{\"subject\": ", "400 request.malformed-json");
    cases.put("[1, 2]", "400 request.malformed-json");
    cases.put(portalRequest("x").put("colour", "red"), "400 request.field-unknown");
    cases.put(portalRequest("x").put("subject", 42), "400 request.field-invalid");
    cases.put(portalRequest("x").put("priority", "blocker"), "400 ticket.value-unknown");
    cases.put(portalRequest("x").put("service", "9.9"), "400 ticket.value-unknown");
    cases.put(portalRequest("x").put("service", "1.2"), "400 ticket.value-unknown");
    cases.put(portalRequest("x").put("channel", "pigeon"), "400 ticket.value-unknown");
    cases.put(portalRequest("x").put("channel", "phone"), "400 ticket.value-unknown");
    cases.put(portalRequest("x").putNull("subject"), "400 request.field-required");
    cases.put(portalRequest("x").putNull("priority"), "400 request.field-required");
    cases.put(portalRequest("x").putNull("form"), "400 request.field-required");
    cases.put(portalRequest("x").put("form", new JsonObject()), "400 request.field-required");
    cases.put(portalRequest("x").put("form", new JsonObject().put("contact-email", "nope")), "400 request.field-invalid");
    cases.put(portalRequest("x").put("form", new JsonObject().put("contact-email", "a@b.c").put("module", "hr")),
        "400 ticket.value-unknown");
    cases.put(portalRequest("x").put("form", new JsonObject().put("contact-email", "a@b.c").put("first-failure-date", "yesterday")),
        "400 request.field-invalid");
    cases.put(portalRequest("x").put("form", new JsonObject().put("contact-email", "a@b.c").put("shoe-size", "42")),
        "400 request.field-unknown");
    cases.put(portalRequest("x").put("requesterId", d.colleague().id().toString()), "403 ticket.field-forbidden");
    cases.put(portalRequest("x").put("description", "x".repeat(70_000)), "413 request.too-large");
    for (var c : cases.entrySet()) {
      HttpResponse<Buffer> r = send(HttpMethod.POST, d.id(), "", d.customer(), c.getKey());
      assertThat(code(r)).as(String.valueOf(c.getKey()).substring(0, Math.min(80, String.valueOf(c.getKey()).length())))
          .isEqualTo(c.getValue());
      assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
    }
    JsonObject phone = portalRequest("call").put("channel", "phone").put("organisationId", d.org().id().toString());
    assertThat(code(send(HttpMethod.POST, d.id(), "", d.agent(), phone))).isEqualTo("400 request.field-required");
    assertThat(code(send(HttpMethod.POST, d.id(), "", d.agent(),
        phone.copy().put("requesterId", d.agent().id().toString())))).isEqualTo("400 ticket.requester-invalid");
    assertThat(code(send(HttpMethod.POST, d.id(), "", d.agent(),
        phone.copy().put("requesterId", d.otherCustomer().id().toString())))).isEqualTo("400 ticket.requester-invalid");
    assertThat(code(send(HttpMethod.POST, d.id(), "", d.agent(), phone.copy().put("requesterId", "not-a-uuid"))))
        .isEqualTo("400 request.field-invalid");
    assertThat(code(send(HttpMethod.POST, d.id(), "", d.agent(), phone.copy()
        .put("requesterId", d.customer().id().toString())
        .put("callbackDueAt", OffsetDateTime.now().plusDays(30).toString())))).isEqualTo("400 ticket.callback-too-late");
    assertThat(code(send(HttpMethod.GET, d.id(), "?status=lost", d.agent(), null))).isEqualTo("400 ticket.filter-invalid");
    assertThat(code(send(HttpMethod.GET, d.id(), "?sort=colour", d.agent(), null))).isEqualTo("400 page.sort-invalid");
    assertThat(code(send(HttpMethod.GET, d.id(), "?limit=0", d.agent(), null))).isEqualTo("400 page.invalid");

    assertThat(counts(d.id()).values()).containsOnly(0L);
    assertThat(code(send(HttpMethod.GET, d.id(), "", d.agent(), null))).isEqualTo("200");
    create(d, d.customer(), "still serving");
  }

  @Test
  @DisplayName("phone intake: an agent registers a call for a customer with a callback promise inside callback-within")
  void phoneIntakeWithCallbackPromise() {
    Desk d = desk();
    OffsetDateTime due = OffsetDateTime.now().plusHours(2);
    JsonObject call = new JsonObject().put("subject", "Звонок").put("description", "Не работает вход")
        .put("priority", "urgent").put("organisationId", d.org().id().toString())
        .put("requesterId", d.customer().id().toString()).put("callbackDueAt", due.toString());
    HttpResponse<Buffer> r = send(HttpMethod.POST, d.id(), "", d.agent(), call);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    JsonObject t = r.bodyAsJsonObject();
    assertThat(t.getString("channel")).isEqualTo("phone");
    assertThat(t.getString("requesterId")).isEqualTo(d.customer().id().toString());
    assertThat(t.getString("createdBy")).isEqualTo(d.agent().id().toString());
    assertThat(OffsetDateTime.parse(t.getString("callbackDueAt")).toInstant()).isEqualTo(due.toInstant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    assertThat(send(HttpMethod.GET, d.id(), "/" + t.getString("number"), d.customer(), null).statusCode()).isEqualTo(200);

    String callback = "/" + t.getString("number") + "/callback";
    assertThat(code(send(HttpMethod.POST, d.id(), callback, d.customer(), new JsonObject()))).isEqualTo("403 ticket.staff-only");
    HttpResponse<Buffer> made = send(HttpMethod.POST, d.id(), callback, d.agent(),
        new JsonObject().put("note", "Перезвонили, вход восстановлен"));
    assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(200);
    assertThat(code(send(HttpMethod.POST, d.id(), callback, d.agent(), new JsonObject())))
        .isEqualTo("409 ticket.callback-recorded");
    JsonObject event = send(HttpMethod.GET, d.id(), "/" + t.getString("number") + "/events", d.customer(), null)
        .bodyAsJsonObject().getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("type").equals("callback-made")).findFirst().orElseThrow();
    assertThat(event.getJsonObject("after").getBoolean("onTime")).isTrue();
    assertThat(event.getJsonObject("after").getString("note")).isEqualTo("Перезвонили, вход восстановлен");
    String plain = create(d, d.customer(), "no promise");
    assertThat(code(send(HttpMethod.POST, d.id(), "/" + plain + "/callback", d.agent(), new JsonObject())))
        .isEqualTo("409 ticket.no-callback");
  }

  @Test
  @DisplayName("attachments: stored with name and type and downloaded intact; over 10 MiB is 413 and multipart 415, writing nothing")
  void attachments() throws Exception {
    Desk d = desk();
    String n = create(d, d.customer(), "files");
    byte[] bytes = new byte[300_000];
    new java.util.Random(7).nextBytes(bytes);
    HttpResponse<Buffer> up = call(HttpMethod.POST, d.id(), "/" + n + "/attachments?name="
        + java.net.URLEncoder.encode("журнал ошибок.bin", java.nio.charset.StandardCharsets.UTF_8), d.customer())
        .putHeader("Content-Type", "application/octet-stream").sendBuffer(Buffer.buffer(bytes)).await();
    assertThat(up.statusCode()).as(up.bodyAsString()).isEqualTo(201);
    JsonObject meta = up.bodyAsJsonObject();
    assertThat(meta.getString("fileName")).isEqualTo("журнал ошибок.bin");
    assertThat(meta.getInteger("sizeBytes")).isEqualTo(300_000);
    HttpResponse<Buffer> down = send(HttpMethod.GET, d.id(), "/" + n + "/attachments/" + meta.getString("id"), d.agent(), null);
    assertThat(down.body().getBytes()).isEqualTo(bytes);
    assertThat(down.getHeader("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(down.getHeader("Content-Disposition")).contains("filename*=UTF-8''");
    Map<String, Long> before = counts(d.id());
    HttpResponse<Buffer> big = call(HttpMethod.POST, d.id(), "/" + n + "/attachments?name=big.bin", d.customer())
        .putHeader("Content-Type", "application/octet-stream")
        .sendBuffer(Buffer.buffer(new byte[10 * 1024 * 1024 + 1])).await();
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(code(call(HttpMethod.POST, d.id(), "/" + n + "/attachments?name=a.txt", d.customer())
        .putHeader("Content-Type", "multipart/form-data; boundary=x").sendBuffer(Buffer.buffer("--x--")).await()))
        .isEqualTo("415 ticket.attachment-raw-body");
    assertThat(code(call(HttpMethod.POST, d.id(), "/" + n + "/attachments?name=../etc/passwd", d.customer())
        .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("x")).await()))
        .isEqualTo("400 ticket.attachment-name-invalid");
    assertThat(counts(d.id())).isEqualTo(before);
    assertThat(send(HttpMethod.GET, d.id(), "/" + n + "/attachments", d.customer(), null).bodyAsJsonObject()
        .getJsonArray("items").size()).isEqualTo(1);
  }

  @Test
  @DisplayName("an integration's API key files a request for a customer and comments on it, recorded under the key's service account")
  void apiKeyFilesRequestsUnderItsServiceAccount() throws Exception {
    Desk d = desk();
    var key = new dev.otklik.store.ApiKeyStore(tx, java.time.Clock.systemUTC()).create(d.id(), "CRM", Role.AGENT, d.admin().id()).await();
    JsonObject body = portalRequest("from the CRM").put("channel", "api")
        .put("organisationId", d.org().id().toString()).put("requesterId", d.customer().id().toString());
    HttpResponse<Buffer> created = client.post("/api/v1/tenants/" + d.id() + "/requests")
        .putHeader("Authorization", "ApiKey " + key.secret()).sendJsonObject(body).await();
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String number = created.bodyAsJsonObject().getString("number");

    HttpResponse<Buffer> comment = client.post("/api/v1/tenants/" + d.id() + "/requests/" + number + "/comments")
        .putHeader("Authorization", "ApiKey " + key.secret())
        .sendJsonObject(new JsonObject().put("body", "Синхронизировано из CRM")).await();
    assertThat(comment.statusCode()).as(comment.bodyAsString()).isEqualTo(201);

    assertThat(TestApi.row("SELECT created_by, channel FROM ticket WHERE tenant_id = '" + d.id() + "' AND number = ?", number))
        .containsExactly(key.key().id(), "api");
    assertThat(TestApi.row("SELECT count(*) FROM ticket_comment c JOIN ticket t ON t.id = c.ticket_id "
        + "WHERE t.tenant_id = '" + d.id() + "' AND t.number = ? AND c.author_id = t.created_by", number)).containsExactly(1L);
    assertThat(TestApi.row("SELECT service_account, display_name, password_hash FROM app_user WHERE id = ?",
        key.key().id())).containsExactly(true, "CRM", null);
  }

  @Test
  @DisplayName("a callback promise is limited on the tenant's business calendar: across nine days of holidays a call-back in 6 days is allowed (Monday-to-Friday counting would refuse it), one in 30 days is ticket.callback-too-late")
  void callbackLimitFollowsTheHolidayCalendar() {
    Desk d = desk();
    LocalDate today = LocalDate.now(TestSla.MOSCOW);
    Set<LocalDate> holidays = new TreeSet<>();
    for (int i = 1; i <= 9; i++) {
      LocalDate day = today.plusDays(i);
      if (day.getDayOfWeek().getValue() <= 5) {
        holidays.add(day);
      }
    }
    HOLIDAY_CALENDARS.put(d.id(), TestSla.calendar(TestSla.production(holidays, Set.of())));
    JsonObject call = new JsonObject().put("subject", "Звонок").put("description", "Перезвоните")
        .put("priority", "urgent").put("organisationId", d.org().id().toString())
        .put("requesterId", d.customer().id().toString());
    HttpResponse<Buffer> inSixDays = send(HttpMethod.POST, d.id(), "", d.agent(),
        call.copy().put("callbackDueAt", OffsetDateTime.now().plusDays(6).toString()));
    assertThat(inSixDays.statusCode()).as(inSixDays.bodyAsString()).isEqualTo(201);
    HttpResponse<Buffer> inThirtyDays = send(HttpMethod.POST, d.id(), "", d.agent(),
        call.copy().put("callbackDueAt", OffsetDateTime.now().plusDays(30).toString()));
    assertThat(code(inThirtyDays)).isEqualTo("400 ticket.callback-too-late");
  }

  @Test
  @DisplayName("GET shows the SLA deadlines: staff see status, due, business time left and the explanation; customers see targets and dates only; the rows are in PostgreSQL")
  void deadlinesOnTheRequest() throws Exception {
    Desk d = desk();
    SLA_TENANTS.add(d.id());
    JsonObject body = portalRequest("Срочная ошибка").put("category", "error").put("priority", "urgent");
    HttpResponse<Buffer> created = send(HttpMethod.POST, d.id(), "", d.customer(), body);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String number = created.bodyAsJsonObject().getString("number");
    assertThat(send(HttpMethod.POST, d.id(), "/" + number + "/transitions", d.agent(),
        new JsonObject().put("action", "start")).statusCode()).isEqualTo(200);

    JsonObject staffView = send(HttpMethod.GET, d.id(), "/" + number, d.agent(), null).bodyAsJsonObject();
    Map<String, JsonObject> byTarget = new LinkedHashMap<>();
    staffView.getJsonArray("deadlines").forEach(o -> byTarget.put(((JsonObject) o).getString("target"), (JsonObject) o));
    assertThat(byTarget.keySet()).containsExactlyInAnyOrder("triage", "clarification-answer", "resolution",
        "customer-acceptance", "remarks-fix");
    JsonObject resolution = byTarget.get("resolution");
    assertThat(resolution.getString("status")).isEqualTo("running");
    assertThat(resolution.getString("side")).isEqualTo("vendor");
    assertThat(resolution.getString("cell")).isEqualTo("error-urgent");
    assertThat(resolution.getString("slaVersion")).isEqualTo(TestSla.VERSION);
    assertThat(resolution.getString("dueAt")).isNotNull();
    assertThat(resolution.getString("warnAt")).isNotNull();
    assertThat(resolution.getLong("remainingWorkingSeconds")).isBetween(1L, 9L * 3600);
    assertThat(resolution.getJsonArray("explanation")).isNotEmpty();
    assertThat(byTarget.get("triage").getString("status")).isEqualTo("met");

    JsonObject customerView = send(HttpMethod.GET, d.id(), "/" + number, d.customer(), null).bodyAsJsonObject();
    JsonObject seen = customerView.getJsonArray("deadlines").stream().map(o -> (JsonObject) o)
        .filter(o -> "resolution".equals(o.getString("target"))).findFirst().orElseThrow();
    assertThat(seen.getString("dueAt")).isEqualTo(resolution.getString("dueAt"));
    assertThat(seen.fieldNames()).doesNotContain("explanation", "remainingWorkingSeconds", "cell");

    try (var c = TestDatabase.superuserConnection();
        var ps = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE status = 'running')"
            + " FROM ticket_deadline WHERE tenant_id = ?")) {
      ps.setString(1, d.id());
      try (var rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(5);
        assertThat(rs.getLong(2)).isEqualTo(1);
      }
    }
  }

  @Test
  @DisplayName("GET /requests gives each row its SLA deadlines as a read does, without the explanations, in one call")
  void listRowsCarryTheirDeadlines() throws Exception {
    Desk d = desk();
    SLA_TENANTS.add(d.id());
    String started = send(HttpMethod.POST, d.id(), "", d.customer(),
        portalRequest("Срочная ошибка").put("category", "error").put("priority", "urgent"))
        .bodyAsJsonObject().getString("number");
    assertThat(send(HttpMethod.POST, d.id(), "/" + started + "/transitions", d.agent(),
        new JsonObject().put("action", "start")).statusCode()).isEqualTo(200);
    String waiting = send(HttpMethod.POST, d.id(), "", d.customer(),
        portalRequest("Вопрос").put("category", "error").put("priority", "urgent")).bodyAsJsonObject().getString("number");

    Map<String, JsonObject> staffRows = new LinkedHashMap<>();
    send(HttpMethod.GET, d.id(), "?limit=10", d.agent(), null).bodyAsJsonObject().getJsonArray("items")
        .forEach(o -> staffRows.put(((JsonObject) o).getString("number"), (JsonObject) o));
    assertThat(staffRows.keySet()).containsExactlyInAnyOrder(started, waiting);
    JsonArray read = send(HttpMethod.GET, d.id(), "/" + started, d.agent(), null).bodyAsJsonObject()
        .getJsonArray("deadlines");
    JsonArray listed = staffRows.get(started).getJsonArray("deadlines");
    assertThat(listed.size()).isEqualTo(read.size()).isEqualTo(deadlineRows(d.id(), started));
    for (int i = 0; i < read.size(); i++) {
      JsonObject fromRead = read.getJsonObject(i);
      JsonObject fromList = listed.getJsonObject(i);
      assertThat(fromList.getString("target")).isEqualTo(fromRead.getString("target"));
      assertThat(fromList.getString("status")).isEqualTo(fromRead.getString("status"));
      assertThat(fromList.getString("dueAt")).isEqualTo(fromRead.getString("dueAt"));
      assertThat(fromList.getString("cell")).isEqualTo(fromRead.getString("cell"));
      assertThat(fromList.fieldNames()).contains("remainingWorkingSeconds").doesNotContain("explanation");
    }
    assertThat(staffRows.get(waiting).getJsonArray("deadlines").size()).isEqualTo(deadlineRows(d.id(), waiting));

    JsonObject customerRow = send(HttpMethod.GET, d.id(), "?limit=10", d.customer(), null).bodyAsJsonObject()
        .getJsonArray("items").stream().map(o -> (JsonObject) o)
        .filter(o -> started.equals(o.getString("number"))).findFirst().orElseThrow();
    assertThat(customerRow.getJsonArray("deadlines")).hasSize(read.size());
    customerRow.getJsonArray("deadlines").forEach(o ->
        assertThat(((JsonObject) o).fieldNames()).doesNotContain("explanation", "remainingWorkingSeconds", "cell"));
  }

  private static int deadlineRows(String tenantId, String number) throws Exception {
    try (var c = TestDatabase.superuserConnection();
        var ps = c.prepareStatement("SELECT count(*) FROM ticket_deadline d JOIN ticket t"
            + " ON t.tenant_id = d.tenant_id AND t.id = d.ticket_id WHERE t.tenant_id = ? AND t.number = ?")) {
      ps.setString(1, tenantId);
      ps.setString(2, number);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
