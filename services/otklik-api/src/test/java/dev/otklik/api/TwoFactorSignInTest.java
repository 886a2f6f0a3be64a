package dev.otklik.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.LuminanceSource;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.otklik.api.auth.AccessTokens;
import dev.otklik.api.auth.JwtKeys;
import dev.otklik.core.auth.Base32;
import dev.otklik.core.auth.PasswordHasher;
import dev.otklik.core.auth.Role;
import dev.otklik.core.auth.Totp;
import dev.otklik.core.tenant.Audience;
import dev.otklik.core.tenant.SignIn;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.store.ApiKeyStore;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TestClock;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.TestPeople;
import dev.otklik.store.TestSla;
import dev.otklik.store.TestTenants;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two-factor sign-in over real HTTP against the real PostgreSQL: enrolment with the QR code,
 * sign-in with a code, replay, lock-out and its audit, recovery codes, a tenant that requires a
 * second factor for agents, and a tenant that turned passwords off. The node's clock is a
 * {@link TestClock}, so a test moves to the next 30-second step instead of waiting for it.
 */
class TwoFactorSignInTest {

  static final JwtKeys KEYS = JwtKeys.hs256("a-test-secret-for-two-factor-sign-in-0123456789", "otklik", "otklik-api",
      Duration.ofMinutes(15));
  static final String PASSWORD = "пароль-для-второго-фактора";
  static final String HASH = new PasswordHasher().hash(PASSWORD);
  static final Totp TOTP = Totp.standard();

  static final TestClock clock = new TestClock(Instant.now());
  static final TenantTransactions tx = TestDatabase.transactions();
  static final Map<String, SignIn> SIGN_IN = new ConcurrentHashMap<>();
  static Vertx vertx;
  static WebClient client;
  static AccessTokens tokens;

  static final TenantSource SOURCE = new TenantSource() {
    public List<JsonObject> configs() { return SIGN_IN.keySet().stream().map(TicketHandlerTest::config).toList(); }
    public Optional<JsonObject> config(String id) {
      return SIGN_IN.containsKey(id) ? Optional.of(TicketHandlerTest.config(id)) : Optional.empty();
    }
    public Optional<TenantConfig> tenant(String id) {
      return SIGN_IN.containsKey(id) ? Optional.of(withSignIn(TestSla.tenantConfig(id), SIGN_IN.get(id))) : Optional.empty();
    }
    public Optional<Path> logo(String id) { return Optional.empty(); }
    public boolean loaded() { return true; }
    public Future<JsonObject> reload() { return Future.succeededFuture(new JsonObject()); }
  };

  static TenantConfig withSignIn(TenantConfig c, SignIn signIn) {
    return new TenantConfig(c.id(), c.enabled(), c.requestNumberPrefix(), c.defaultLocale(), c.identity(), c.branding(),
        c.channels(), c.calendar(), c.taxonomy(), c.requestForm(), c.catalogue(), c.sla(), c.workflow(), c.intake(),
        c.contract(), c.releases(), c.library(), c.notifications(), c.webhooks(), signIn, c.satisfaction());
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    tokens = new AccessTokens(vertx, KEYS);
    ApiOptions options = new ApiOptions("127.0.0.1", 0, 65536, null, KEYS, ApiOptions.DEFAULT_REFRESH_TTL,
        100_000, 100_000).withClock(clock);
    client = TestApi.serve(vertx, options, SOURCE);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  static String tenant(SignIn signIn) {
    String id = TestTenants.create(tx);
    SIGN_IN.put(id, signIn);
    return id;
  }

  static UserAccount person(String tenant, Role role, UUID organisation) {
    String email = role.code() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.ru";
    return new UserStore(tx).create(tenant, new UserStore.NewUser(email, "2FA " + role.code(), "ru", HASH, role,
        organisation)).await();
  }

  static HttpResponse<Buffer> post(String tenant, String path, String bearer, JsonObject body) {
    HttpRequest<Buffer> request = client.request(HttpMethod.POST, "/api/v1/tenants/" + tenant + path)
        .putHeader("Accept-Language", "en");
    if (bearer != null) {
      request.putHeader("Authorization", "Bearer " + bearer);
    }
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  static HttpResponse<Buffer> call(HttpMethod method, String tenant, String path, String authorization, JsonObject body) {
    HttpRequest<Buffer> request = client.request(method, "/api/v1/tenants/" + tenant + path);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  static HttpResponse<Buffer> login(String tenant, UserAccount user, String password) {
    return post(tenant, "/auth/login", null, new JsonObject().put("email", user.email()).put("password", password));
  }

  static String code(byte[] secret) {
    return TOTP.codeAt(secret, clock.instant());
  }

  static String problem(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getString("code");
  }

  static List<String> amr(JsonObject tokenPair) {
    return tokens.verify(tokenPair.getString("accessToken")).await().amr();
  }

  /** Signs in with the password only (no second factor yet) and sets one up; the secret. */
  static byte[] enrol(String tenant, UserAccount user) {
    HttpResponse<Buffer> signedIn = login(tenant, user, PASSWORD);
    assertThat(signedIn.statusCode()).as(signedIn.bodyAsString()).isEqualTo(200);
    String access = signedIn.bodyAsJsonObject().getString("accessToken");
    HttpResponse<Buffer> started = post(tenant, "/me/two-factor", access, null);
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(200);
    byte[] secret = Base32.decode(started.bodyAsJsonObject().getString("secret"));
    HttpResponse<Buffer> confirmed = post(tenant, "/me/two-factor/confirm", access,
        new JsonObject().put("code", code(secret)));
    assertThat(confirmed.statusCode()).as(confirmed.bodyAsString()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(30)); // the confirming code's step is spent
    return secret;
  }

  /** The challenge of a password sign-in that must continue with a code. */
  static String challenge(String tenant, UserAccount user) {
    HttpResponse<Buffer> r = login(tenant, user, PASSWORD);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("twoFactor")).isEqualTo("required");
    assertThat(r.bodyAsJsonObject().containsKey("accessToken")).isFalse();
    return r.bodyAsJsonObject().getString("challenge");
  }

  @Test
  @DisplayName("enrol (QR code of the otpauth URI), confirm, then sign in with password and code: amr pwd otp mfa; the challenge alone opens nothing")
  void enrolConfirmAndSignInWithCode() throws Exception {
    String tenant = tenant(SignIn.DEFAULT);
    UserAccount agent = person(tenant, Role.AGENT, null);
    JsonObject first = login(tenant, agent, PASSWORD).bodyAsJsonObject();
    assertThat(amr(first)).containsExactly("pwd");
    String access = first.getString("accessToken");

    HttpResponse<Buffer> started = post(tenant, "/me/two-factor", access, null);
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(200);
    JsonObject enrolment = started.bodyAsJsonObject();
    String uri = enrolment.getString("otpauthUri");
    assertThat(uri).startsWith("otpauth://totp/%D0%A2%D0%B5%D1%81%D1%82:" + agent.email() + "?secret="
        + enrolment.getString("secret") + "&issuer=%D0%A2%D0%B5%D1%81%D1%82&algorithm=SHA1&digits=6&period=30");
    assertThat(decodeQr(enrolment.getString("qrSvg"))).isEqualTo(uri);
    assertThat(started.getHeader("Cache-Control")).isEqualTo("no-store");
    byte[] secret = Base32.decode(enrolment.getString("secret"));
    assertThat(secret).hasSize(20);
    assertThat((byte[]) TestApi.row("SELECT secret FROM user_totp WHERE user_id = ?", agent.id()).get(0))
        .as("the seed is stored sealed (nonce, ciphertext, tag), not as it is").hasSize(12 + 20 + 16);
    assertThat(call(HttpMethod.GET, tenant, "/me", "Bearer " + access, null).bodyAsJsonObject()
        .getJsonObject("twoFactor")).isEqualTo(new JsonObject().put("enabled", false).put("required", false)
        .put("pending", true));
    assertThat(login(tenant, agent, PASSWORD).bodyAsJsonObject().containsKey("accessToken"))
        .as("not in force before it is confirmed").isTrue();

    HttpResponse<Buffer> wrong = post(tenant, "/me/two-factor/confirm", access,
        new JsonObject().put("code", wrongCode(secret)));
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(problem(wrong)).isEqualTo("two-factor.proof-invalid");
    HttpResponse<Buffer> confirmed = post(tenant, "/me/two-factor/confirm", access,
        new JsonObject().put("code", code(secret)));
    assertThat(confirmed.statusCode()).as(confirmed.bodyAsString()).isEqualTo(200);
    JsonArray recovery = confirmed.bodyAsJsonObject().getJsonArray("recoveryCodes");
    assertThat(recovery).hasSize(10);
    assertThat(recovery.getString(0)).matches("[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}");
    assertThat(call(HttpMethod.GET, tenant, "/me", "Bearer " + access, null).bodyAsJsonObject()
        .getJsonObject("twoFactor")).isEqualTo(new JsonObject().put("enabled", true).put("required", false)
        .put("pending", false).put("recoveryCodesLeft", 10));

    String challenge = challenge(tenant, agent);
    assertThat(call(HttpMethod.GET, tenant, "/me", "Bearer " + challenge, null).statusCode())
        .as("a challenge is no access token").isEqualTo(401);
    HttpResponse<Buffer> sameStep = post(tenant, "/auth/login/two-factor", null,
        new JsonObject().put("challenge", challenge).put("code", code(secret)));
    assertThat(sameStep.statusCode()).as("the confirming code, again").isEqualTo(401);
    assertThat(problem(sameStep)).isEqualTo("auth.two-factor-invalid");

    clock.advance(Duration.ofSeconds(30));
    HttpResponse<Buffer> signedIn = post(tenant, "/auth/login/two-factor", null,
        new JsonObject().put("challenge", challenge).put("code", code(secret)));
    assertThat(signedIn.statusCode()).as(signedIn.bodyAsString()).isEqualTo(200);
    assertThat(amr(signedIn.bodyAsJsonObject())).containsExactly("pwd", "otp", "mfa");
    assertThat(call(HttpMethod.GET, tenant, "/me", "Bearer " + signedIn.bodyAsJsonObject().getString("accessToken"),
        null).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a code replayed within its step is refused, also on a new challenge, and the log says reused-code")
  void replayedCodeIsRefused() throws Exception {
    String tenant = tenant(SignIn.DEFAULT);
    UserAccount agent = person(tenant, Role.AGENT, null);
    byte[] secret = enrol(tenant, agent);
    String code = code(secret);

    HttpResponse<Buffer> first = post(tenant, "/auth/login/two-factor", null,
        new JsonObject().put("challenge", challenge(tenant, agent)).put("code", code));
    HttpResponse<Buffer> replay = post(tenant, "/auth/login/two-factor", null,
        new JsonObject().put("challenge", challenge(tenant, agent)).put("code", code));

    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(problem(replay)).isEqualTo("auth.two-factor-invalid");
    assertThat(TestApi.row("SELECT reason FROM sign_in_event WHERE user_id = ? AND kind = 'totp' AND outcome = 'failure'",
        agent.id())).containsExactly("reused-code");
  }

  @Test
  @DisplayName("five wrong codes lock the second factor (429, Retry-After, audited, even the right code then); an admin sees the lock-out and resets it")
  void wrongCodesLockTheSecondFactor() throws Exception {
    String tenant = tenant(SignIn.DEFAULT);
    UserAccount agent = person(tenant, Role.AGENT, null);
    UserAccount admin = person(tenant, Role.TENANT_ADMIN, null);
    byte[] secret = enrol(tenant, agent);
    String challenge = challenge(tenant, agent);
    String wrong = wrongCode(secret);

    for (int i = 1; i <= 4; i++) {
      HttpResponse<Buffer> r = post(tenant, "/auth/login/two-factor", null,
          new JsonObject().put("challenge", challenge).put("code", wrong));
      assertThat(r.statusCode()).as("attempt " + i).isEqualTo(401);
    }
    HttpResponse<Buffer> fifth = post(tenant, "/auth/login/two-factor", null,
        new JsonObject().put("challenge", challenge).put("code", wrong));
    HttpResponse<Buffer> right = post(tenant, "/auth/login/two-factor", null,
        new JsonObject().put("challenge", challenge).put("code", code(secret)));

    assertThat(fifth.statusCode()).isEqualTo(429);
    assertThat(problem(fifth)).isEqualTo("auth.locked");
    assertThat(Long.parseLong(fifth.getHeader("Retry-After"))).isBetween(890L, 901L);
    assertThat(right.statusCode()).as("locked: not even checked").isEqualTo(429);
    assertThat(TestApi.row("SELECT count(*) FROM sign_in_event WHERE user_id = ? AND outcome = 'locked-out'"
        + " AND reason = 'second-factor' AND locked_until IS NOT NULL", agent.id())).containsExactly(1L);

    String adminToken = post(tenant, "/auth/login", null, new JsonObject().put("email", admin.email())
        .put("password", PASSWORD)).bodyAsJsonObject().getString("accessToken");
    HttpResponse<Buffer> log = call(HttpMethod.GET, tenant, "/security/sign-in-events?outcome=locked-out&userId=" + agent.id(),
        "Bearer " + adminToken, null);
    assertThat(log.statusCode()).as(log.bodyAsString()).isEqualTo(200);
    assertThat(log.bodyAsJsonObject().getJsonArray("items")).singleElement()
        .satisfies(e -> assertThat(((JsonObject) e).getString("kind")).isEqualTo("totp"));
    assertThat(call(HttpMethod.GET, tenant, "/security/sign-in-events",
        "Bearer " + tokens.issue(agent, null, List.of("pwd", "otp", "mfa")).token(), null).statusCode())
        .as("agents do not read the log").isEqualTo(403);

    HttpResponse<Buffer> reset = post(tenant, "/users/" + agent.id() + "/two-factor/reset", adminToken, null);
    assertThat(reset.statusCode()).as(reset.bodyAsString()).isEqualTo(204);
    assertThat(TestApi.row("SELECT actor_id FROM sign_in_event WHERE user_id = ? AND kind = 'two-factor-reset'", agent.id()))
        .containsExactly(admin.id());
    assertThat(login(tenant, agent, PASSWORD).bodyAsJsonObject().containsKey("accessToken"))
        .as("reset: password alone again (not required here)").isTrue();
  }

  @Test
  @DisplayName("a recovery code signs in once (amr pwd mfa) and is refused the second time")
  void recoveryCodeWorksOnce() {
    String tenant = tenant(SignIn.DEFAULT);
    UserAccount agent = person(tenant, Role.AGENT, null);
    HttpResponse<Buffer> signedIn = login(tenant, agent, PASSWORD);
    String access = signedIn.bodyAsJsonObject().getString("accessToken");
    byte[] secret = Base32.decode(post(tenant, "/me/two-factor", access, null).bodyAsJsonObject().getString("secret"));
    String recovery = post(tenant, "/me/two-factor/confirm", access, new JsonObject().put("code", code(secret)))
        .bodyAsJsonObject().getJsonArray("recoveryCodes").getString(3);

    HttpResponse<Buffer> first = post(tenant, "/auth/login/two-factor", null, new JsonObject()
        .put("challenge", challenge(tenant, agent)).put("recoveryCode", recovery.toUpperCase().replace("-", " ")));
    HttpResponse<Buffer> again = post(tenant, "/auth/login/two-factor", null, new JsonObject()
        .put("challenge", challenge(tenant, agent)).put("recoveryCode", recovery));

    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    assertThat(amr(first.bodyAsJsonObject())).containsExactly("pwd", "mfa");
    assertThat(first.bodyAsJsonObject().getInteger("recoveryCodesLeft")).isEqualTo(9);
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(problem(again)).isEqualTo("auth.two-factor-invalid");
  }

  @Test
  @DisplayName("new recovery codes need a current code; switching off needs the password (a wrong one is refused)")
  void renewCodesAndDisable() {
    String tenant = tenant(SignIn.DEFAULT);
    UserAccount coordinator = person(tenant, Role.COORDINATOR, null);
    byte[] secret = enrol(tenant, coordinator);
    String access = tokenOf(tenant, coordinator, secret).substring(7);
    clock.advance(Duration.ofSeconds(30));

    HttpResponse<Buffer> renewed = post(tenant, "/me/two-factor/recovery-codes", access,
        new JsonObject().put("code", code(secret)));
    assertThat(renewed.statusCode()).as(renewed.bodyAsString()).isEqualTo(200);
    assertThat(renewed.bodyAsJsonObject().getJsonArray("recoveryCodes")).hasSize(10);

    HttpResponse<Buffer> wrongPassword = call(HttpMethod.DELETE, tenant, "/me/two-factor", "Bearer " + access,
        new JsonObject().put("password", "не тот пароль"));
    HttpResponse<Buffer> off = call(HttpMethod.DELETE, tenant, "/me/two-factor", "Bearer " + access,
        new JsonObject().put("password", PASSWORD));

    assertThat(wrongPassword.statusCode()).isEqualTo(403);
    assertThat(problem(wrongPassword)).isEqualTo("two-factor.proof-invalid");
    assertThat(off.statusCode()).as(off.bodyAsString()).isEqualTo(204);
    assertThat(login(tenant, coordinator, PASSWORD).bodyAsJsonObject().containsKey("accessToken")).isTrue();
  }

  @Test
  @DisplayName("a tenant requiring 2FA for agents: the agent's password yields no token, only enrolment; a password-only token is refused; customers and API keys are unaffected")
  void requiredSecondFactorForAgents() {
    String tenant = tenant(new SignIn(EnumSet.allOf(Audience.class), Set.of(Role.AGENT), List.of()));
    UserAccount agent = person(tenant, Role.AGENT, null);
    UserAccount customer = person(tenant, Role.CUSTOMER, TestPeople.organisation(tx, tenant).id());

    HttpResponse<Buffer> password = login(tenant, agent, PASSWORD);
    assertThat(password.statusCode()).as(password.bodyAsString()).isEqualTo(200);
    JsonObject answer = password.bodyAsJsonObject();
    assertThat(answer.getString("twoFactor")).isEqualTo("enrolment-required");
    assertThat(answer.fieldNames()).containsExactlyInAnyOrder("twoFactor", "challenge", "expiresIn");
    String challenge = answer.getString("challenge");
    assertThat(post(tenant, "/auth/login/two-factor", null, new JsonObject().put("challenge", challenge)
        .put("code", "123456")).bodyAsJsonObject().getString("code"))
        .as("an enrolment challenge does not stand in for a code step").isEqualTo("auth.challenge-invalid");

    HttpResponse<Buffer> enrol = post(tenant, "/auth/two-factor/enrol", null, new JsonObject().put("challenge", challenge));
    assertThat(enrol.statusCode()).as(enrol.bodyAsString()).isEqualTo(200);
    byte[] secret = Base32.decode(enrol.bodyAsJsonObject().getString("secret"));
    HttpResponse<Buffer> confirmed = post(tenant, "/auth/two-factor/enrol/confirm", null,
        new JsonObject().put("challenge", challenge).put("code", code(secret)));
    assertThat(confirmed.statusCode()).as(confirmed.bodyAsString()).isEqualTo(200);
    assertThat(confirmed.bodyAsJsonObject().getJsonArray("recoveryCodes")).hasSize(10);
    assertThat(amr(confirmed.bodyAsJsonObject())).containsExactly("pwd", "otp", "mfa");
    String withSecondFactor = "Bearer " + confirmed.bodyAsJsonObject().getString("accessToken");
    assertThat(call(HttpMethod.GET, tenant, "/requests", withSecondFactor, null).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, tenant, "/me", withSecondFactor, null).bodyAsJsonObject()
        .getJsonObject("twoFactor").getBoolean("required")).isTrue();
    HttpResponse<Buffer> switchOff = call(HttpMethod.DELETE, tenant, "/me/two-factor", withSecondFactor,
        new JsonObject().put("password", PASSWORD));
    assertThat(problem(switchOff)).isEqualTo("two-factor.required");

    // A token from before the tenant required a second factor: real keys, amr pwd only.
    String preRequirement = "Bearer " + tokens.issue(agent, null, List.of("pwd")).token();
    HttpResponse<Buffer> refused = call(HttpMethod.GET, tenant, "/requests", preRequirement, null);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(problem(refused)).isEqualTo("auth.two-factor-required");
    assertThat(call(HttpMethod.GET, tenant, "/requests", "Bearer " + tokens.issue(agent, null, List.of("ext")).token(),
        null).statusCode()).as("single sign-on (no pwd) is not affected").isEqualTo(200);

    HttpResponse<Buffer> customerLogin = login(tenant, customer, PASSWORD);
    assertThat(customerLogin.bodyAsJsonObject().containsKey("accessToken")).isTrue();
    assertThat(call(HttpMethod.GET, tenant, "/requests", "Bearer " + customerLogin.bodyAsJsonObject()
        .getString("accessToken"), null).statusCode()).isEqualTo(200);
    String key = new ApiKeyStore(tx, clock).create(tenant, "CRM", Role.AGENT, null).await().secret();
    assertThat(call(HttpMethod.GET, tenant, "/requests", "ApiKey " + key, null).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("when the tenant starts requiring 2FA for agents, a signed-in agent's password session stops: its access token and its refresh")
  void requirementTurnedOnEndsPasswordSessions() {
    String tenant = tenant(SignIn.DEFAULT);
    UserAccount agent = person(tenant, Role.AGENT, null);
    JsonObject session = login(tenant, agent, PASSWORD).bodyAsJsonObject();
    String bearer = "Bearer " + session.getString("accessToken");
    assertThat(call(HttpMethod.GET, tenant, "/requests", bearer, null).statusCode()).isEqualTo(200);

    SIGN_IN.put(tenant, new SignIn(EnumSet.allOf(Audience.class), Set.of(Role.AGENT), List.of()));
    HttpResponse<Buffer> list = call(HttpMethod.GET, tenant, "/requests", bearer, null);
    HttpResponse<Buffer> refresh = post(tenant, "/auth/refresh", null,
        new JsonObject().put("refreshToken", session.getString("refreshToken")));

    assertThat(list.statusCode()).isEqualTo(403);
    assertThat(problem(list)).isEqualTo("auth.two-factor-required");
    assertThat(refresh.statusCode()).isEqualTo(403);
    assertThat(problem(refresh)).isEqualTo("auth.two-factor-required");
    assertThat(refresh.bodyAsJsonObject().containsKey("accessToken")).isFalse();
    assertThat(login(tenant, agent, PASSWORD).bodyAsJsonObject().getString("twoFactor")).isEqualTo("enrolment-required");
  }

  @Test
  @DisplayName("passwords turned off for customers: the right password is refused (403) only after the same work, a wrong one is the usual 401, and old password tokens stop")
  void passwordSignInTurnedOff() {
    String tenant = tenant(new SignIn(EnumSet.of(Audience.STAFF), Set.of(), List.of()));
    UserAccount customer = person(tenant, Role.CUSTOMER, TestPeople.organisation(tx, tenant).id());
    UserAccount agent = person(tenant, Role.AGENT, null);

    HttpResponse<Buffer> right = login(tenant, customer, PASSWORD);
    HttpResponse<Buffer> wrong = login(tenant, customer, "не тот пароль");
    HttpResponse<Buffer> unknown = post(tenant, "/auth/login", null,
        new JsonObject().put("email", "nobody@example.ru").put("password", PASSWORD));

    assertThat(right.statusCode()).isEqualTo(403);
    assertThat(problem(right)).isEqualTo("auth.password-disabled");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(problem(wrong)).isEqualTo("auth.invalid-credentials");
    assertThat(unknown.bodyAsJsonObject().getString("detail")).isEqualTo(wrong.bodyAsJsonObject().getString("detail"));
    assertThat(login(tenant, agent, PASSWORD).bodyAsJsonObject().containsKey("accessToken")).isTrue();
    HttpResponse<Buffer> old = call(HttpMethod.GET, tenant, "/me",
        "Bearer " + tokens.issue(customer, null, List.of("pwd")).token(), null);
    assertThat(old.statusCode()).isEqualTo(403);
    assertThat(problem(old)).isEqualTo("auth.password-disabled");
  }

  @Test
  @DisplayName("ten wrong passwords lock password sign-in of that e-mail, known or not, and then even the right password gets 429")
  void passwordFailuresLockTheAddress() throws Exception {
    String tenant = tenant(SignIn.DEFAULT);
    UserAccount agent = person(tenant, Role.AGENT, null);
    for (int i = 1; i <= 9; i++) {
      assertThat(login(tenant, agent, "wrong-" + i).statusCode()).isEqualTo(401);
      assertThat(post(tenant, "/auth/login", null, new JsonObject().put("email", "ghost@example.ru")
          .put("password", "wrong-" + i)).statusCode()).isEqualTo(401);
    }
    HttpResponse<Buffer> tenth = login(tenant, agent, "wrong-10");
    HttpResponse<Buffer> ghostTenth = post(tenant, "/auth/login", null,
        new JsonObject().put("email", "Ghost@Example.ru").put("password", "wrong-10"));
    HttpResponse<Buffer> right = login(tenant, agent, PASSWORD);

    assertThat(tenth.statusCode()).isEqualTo(429);
    assertThat(ghostTenth.statusCode()).as("an unknown e-mail locks the same way").isEqualTo(429);
    assertThat(problem(right)).isEqualTo("auth.locked");
    assertThat(right.getHeader("Retry-After")).isNotBlank();
    assertThat(TestApi.row("SELECT count(*) FROM sign_in_event WHERE tenant_id = ? AND outcome = 'locked-out'", tenant))
        .containsExactly(2L);

    clock.advance(Duration.ofMinutes(16));
    assertThat(login(tenant, agent, PASSWORD).statusCode()).as("the lock-out lapses").isEqualTo(200);
  }

  /** A code of the secret for no step near now. */
  static String wrongCode(byte[] secret) {
    long step = TOTP.step(clock.instant());
    Set<String> near = Set.of(TOTP.code(secret, step - 1), TOTP.code(secret, step), TOTP.code(secret, step + 1));
    for (int i = 0; ; i++) {
      String candidate = String.format("%06d", (i * 7919) % 1_000_000);
      if (!near.contains(candidate)) {
        return candidate;
      }
    }
  }

  /** "Bearer ..." of a full sign-in (password and code) of an enrolled person. */
  static String tokenOf(String tenant, UserAccount user, byte[] secret) {
    clock.advance(Duration.ofSeconds(30));
    HttpResponse<Buffer> r = post(tenant, "/auth/login/two-factor", null,
        new JsonObject().put("challenge", challenge(tenant, user)).put("code", code(secret)));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return "Bearer " + r.bodyAsJsonObject().getString("accessToken");
  }

  /** Reads the QR code of an SVG of unit squares back with ZXing. */
  static String decodeQr(String svg) throws Exception {
    Matcher box = Pattern.compile("viewBox=\"0 0 (\\d+) \\d+\"").matcher(svg);
    assertThat(box.find()).isTrue();
    int modules = Integer.parseInt(box.group(1));
    int scale = 4;
    int size = modules * scale;
    int[] pixels = new int[size * size];
    java.util.Arrays.fill(pixels, 0xffffffff);
    Matcher square = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z").matcher(svg);
    while (square.find()) {
      int x = Integer.parseInt(square.group(1));
      int y = Integer.parseInt(square.group(2));
      for (int dy = 0; dy < scale; dy++) {
        for (int dx = 0; dx < scale; dx++) {
          pixels[(y * scale + dy) * size + x * scale + dx] = 0xff000000;
        }
      }
    }
    LuminanceSource source = new RGBLuminanceSource(size, size, pixels);
    return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
  }
}
