package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.otklik.mail.inbound.InboundMailParser;
import dev.otklik.mail.inbound.ParsedMail;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole node with SMTP configured (GreenMail): an MTA posts raw mail to the HTTP intake with
 * an API key, the request is registered in АСМО's desk, the registration mail leaves through the
 * outbox dispatcher, and the quarantine is listed, downloaded and retried over HTTP.
 */
@DisplayName("Mail through a running node")
class MailEndToEndTest {

  @RegisterExtension
  static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.SMTP}))
      .withPerMethodLifecycle(false);

  static final String ADMIN_TOKEN = "mail-admin-token";
  static final String T = "/api/v1/tenants/asmo";

  @TempDir static Path work;
  static OtklikNode node;
  static WebClient http;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> settings = TestNodes.settings(work, ADMIN_TOKEN);
    settings.put("mail.smtp.host", "127.0.0.1");
    settings.put("mail.smtp.port", String.valueOf(GREEN_MAIL.getSmtp().getPort()));
    settings.put("mail.smtp.starttls", "disabled");
    settings.put("mail.dispatch-interval", "PT0.2S");
    node = OtklikNode.start(AppOptions.from(settings));
    http = WebClient.create(node.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(node.httpPort()));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.stop();
    }
  }

  private static HttpResponse<Buffer> json(String method, String path, String auth, JsonObject body) {
    var request = http.request(io.vertx.core.http.HttpMethod.valueOf(method), path);
    if (auth != null) {
      request.putHeader("Authorization", auth);
    }
    return body == null ? request.send().await() : request.sendJsonObject(body).await();
  }

  private static HttpResponse<Buffer> postMail(String auth, String contentType, byte[] raw) {
    return http.post(T + "/mail/inbound").putHeader("Authorization", auth).putHeader("Content-Type", contentType)
        .sendBuffer(Buffer.buffer(raw)).await();
  }

  @Test
  @DisplayName("an MTA posts raw mail with an API key: the request is registered, acknowledged by mail, a duplicate is ignored, garbage is quarantined for the admin")
  void rawMailOverHttpRegistersAndQuarantines() throws Exception {
    json("POST", "/api/v1/admin/tenants/asmo/users", "Bearer " + ADMIN_TOKEN, new JsonObject()
        .put("email", "admin@inform.example").put("displayName", "Админ").put("role", "tenant_admin")
        .put("password", "admin-password-1"));
    String admin = "Bearer " + json("POST", T + "/auth/login", null, new JsonObject()
        .put("email", "admin@inform.example").put("password", "admin-password-1")).bodyAsJsonObject()
        .getString("accessToken");
    String org = json("POST", T + "/organisations", admin, new JsonObject().put("name", "ГБУЗ «Областная больница»")
        .put("emailDomains", new JsonArray().add("hospital.example"))).bodyAsJsonObject().getString("id");
    json("POST", T + "/users", admin, new JsonObject().put("email", "anna@hospital.example")
        .put("displayName", "Анна").put("role", "customer").put("organisationId", org)
        .put("password", "customer-password-1"));
    String apiKey = "ApiKey " + json("POST", T + "/api-keys", admin, new JsonObject().put("name", "mta"))
        .bodyAsJsonObject().getString("secret");
    byte[] raw = ("From: Анна <anna@hospital.example>\r\nTo: support@inform.ivanovo.ru\r\n"
        + "Subject: =?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString(
            "Не формируется отчёт".getBytes(StandardCharsets.UTF_8)) + "?=\r\n"
        + "Message-ID: <e2e-1@hospital.example>\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + "Отчёт по приёмам падает.\r\n").getBytes(StandardCharsets.UTF_8);

    HttpResponse<Buffer> created = postMail(apiKey, "message/rfc822", raw);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject result = created.bodyAsJsonObject();
    assertThat(result.getString("outcome")).isEqualTo("registered");
    String number = result.getString("requestNumber");
    assertThat(number).startsWith("ASMO-");
    JsonObject ticket = json("GET", T + "/requests/" + number, admin, null).bodyAsJsonObject();
    assertThat(ticket.getString("subject")).isEqualTo("Не формируется отчёт");

    HttpResponse<Buffer> again = postMail(apiKey, "message/rfc822", raw);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getBoolean("duplicate")).isTrue();
    assertThat(json("GET", T + "/requests", admin, null).bodyAsJsonObject().getInteger("total")).isEqualTo(1);

    assertThat(GREEN_MAIL.waitForIncomingEmail(20_000, 1)).isTrue();
    MimeMessage ack = GREEN_MAIL.getReceivedMessagesForDomain("hospital.example")[0];
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ack.writeTo(bytes);
    ParsedMail parsed = new InboundMailParser().parse(bytes.toByteArray());
    assertThat(parsed.subject()).isEqualTo("[" + number + "] Обращение зарегистрировано");
    assertThat(parsed.messageId()).endsWith("@inform.ivanovo.ru");
    assertThat(parsed.inReplyTo()).isEqualTo("e2e-1@hospital.example");

    // garbage: kept, listed, downloadable, retried
    byte[] garbage = "\u0000\u0001 not a mail at all".getBytes(StandardCharsets.ISO_8859_1);
    JsonObject q = postMail(apiKey, "message/rfc822", garbage).bodyAsJsonObject();
    assertThat(q.getString("state")).isEqualTo("quarantined");
    JsonObject list = json("GET", T + "/mail/inbound?state=quarantined", admin, null).bodyAsJsonObject();
    assertThat(list.getInteger("total")).isEqualTo(1);
    assertThat(list.getJsonArray("items").getJsonObject(0).getString("problem")).isNotBlank();
    HttpResponse<Buffer> download = json("GET", T + "/mail/inbound/" + q.getString("id"), admin, null);
    assertThat(download.getHeader("Content-Type")).isEqualTo("message/rfc822");
    assertThat(download.bodyAsBuffer().getBytes()).isEqualTo(garbage);
    HttpResponse<Buffer> retried = json("POST", T + "/mail/inbound/" + q.getString("id") + "/retry", admin, null);
    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(retried.bodyAsJsonObject().getString("state")).isEqualTo("quarantined");
    HttpResponse<Buffer> notQuarantined = json("POST", T + "/mail/inbound/" + result.getString("id") + "/retry",
        admin, null);
    assertThat(notQuarantined.statusCode()).isEqualTo(409);
    assertThat(notQuarantined.bodyAsJsonObject().getString("code")).isEqualTo("mail.not-quarantined");

    // the customer opts out of non-contractual mail
    String customer = "Bearer " + json("POST", T + "/auth/login", null, new JsonObject()
        .put("email", "anna@hospital.example").put("password", "customer-password-1")).bodyAsJsonObject()
        .getString("accessToken");
    assertThat(json("GET", T + "/me/mail-preferences", customer, null).bodyAsJsonObject()
        .getBoolean("nonContractual")).isTrue();
    assertThat(json("PUT", T + "/me/mail-preferences", customer, new JsonObject().put("nonContractual", false))
        .statusCode()).isEqualTo(200);
    assertThat(json("GET", T + "/me/mail-preferences", customer, null).bodyAsJsonObject()
        .getBoolean("nonContractual")).isFalse();
    assertThat(json("GET", T + "/mail/inbound", customer, null).statusCode()).as("the log is for staff").isEqualTo(403);
  }

  @Test
  @DisplayName("the intake refuses a customer's token and a body that is not message/rfc822, as problem details")
  void intakeRefusesWrongCallerAndMediaType() {
    json("POST", "/api/v1/admin/tenants/asmo/users", "Bearer " + ADMIN_TOKEN, new JsonObject()
        .put("email", "admin2@inform.example").put("displayName", "Админ 2").put("role", "agent")
        .put("password", "agent-password-12"));
    String agent = "Bearer " + json("POST", T + "/auth/login", null, new JsonObject()
        .put("email", "admin2@inform.example").put("password", "agent-password-12")).bodyAsJsonObject()
        .getString("accessToken");
    HttpResponse<Buffer> forbidden = postMail(agent, "message/rfc822", "From: a@b.c\r\n\r\nx".getBytes());
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.bodyAsJsonObject().getString("code")).isEqualTo("mail.inbound-forbidden");
    HttpResponse<Buffer> unauthenticated = http.post(T + "/mail/inbound").putHeader("Content-Type", "message/rfc822")
        .sendBuffer(Buffer.buffer("x")).await();
    assertThat(unauthenticated.statusCode()).isEqualTo(401);
  }
}
