package dev.otklik.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.tenant.ForwardTarget;
import dev.otklik.core.tenant.UnregisteredSenderAction;
import dev.otklik.mail.outbound.MailComposer;
import dev.otklik.mail.outbound.Notifications;
import dev.otklik.mail.outbound.OutboundMail;
import dev.otklik.tenant.TenantRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Mail settings read from the repository's real tenant files. */
@DisplayName("TenantMail from the seed tenants")
class TenantMailTest {

  static Vertx vertx;
  static TenantRegistry registry;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    registry = new TenantRegistry(vertx, Path.of(System.getProperty("otklik.tenantConfigDir", "../../tenant-config")));
    registry.loadInitial().await();
  }

  @AfterAll
  static void close() {
    registry.close().await();
    vertx.close().await();
  }

  private static TenantMail mail(String id) {
    return TenantMail.of(registry.get(id).orElseThrow());
  }

  @Test
  @DisplayName("each seed tenant sends from its own support address, and ИМЦ forwards unregistered senders to the organisation")
  void seedTenantsHaveSendersAndRules() {
    assertThat(mail("asmo").sender().address()).isEqualTo("support@inform.ivanovo.ru");
    assertThat(mail("cik-alekon").sender().address()).isEqualTo("help@цик-алекон.рф");
    assertThat(mail("cik-alekon").sender().asciiDomain()).startsWith("xn--");
    assertThat(mail("amber-crm").sender().address()).isEqualTo("help@h-h-i.ru");
    assertThat(mail("imc").sender().address()).as("no mailbox in ИМЦ's file yet").endsWith(".otklik.local");
    assertThat(mail("imc").intake().unregisteredSender()).isEqualTo(UnregisteredSenderAction.FORWARD);
    assertThat(mail("imc").intake().forwardTo()).contains(ForwardTarget.ORGANISATION_EMAIL);
    assertThat(mail("asmo").intake().unregisteredSender()).isEqualTo(UnregisteredSenderAction.REGISTER);
  }

  @Test
  @DisplayName("a tenant file may name its support mailbox and give its own HTML template")
  void tenantFileNamesMailboxAndHtml(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path root = Path.of(System.getProperty("otklik.tenantConfigDir", "../../tenant-config"));
    Path copy = dir.resolve("tenant-config");
    try (var files = java.nio.file.Files.walk(root)) {
      for (Path p : files.toList()) {
        Path target = copy.resolve(root.relativize(p).toString());
        if (java.nio.file.Files.isDirectory(p)) {
          java.nio.file.Files.createDirectories(target);
        } else {
          java.nio.file.Files.copy(p, target);
        }
      }
    }
    Path asmo = copy.resolve("asmo.yaml");
    String yaml = java.nio.file.Files.readString(asmo)
        .replace("    unregistered-sender: register", "    unregistered-sender: register\n"
            + "    address: \"help-desk@inform.ivanovo.ru\"\n    mailbox-password-env: OTKLIK_MAIL_ASMO_PASSWORD")
        .replace("notifications:\n", "notifications:\n  comment-added:\n"
            + "    subject: {ru: \"[{{number}}] Ответ\", en: \"[{{number}}] Reply\"}\n"
            + "    text: {ru: \"{{body}}\", en: \"{{body}}\"}\n"
            + "    html: {ru: \"<p class=asmo>{{body}}</p>\", en: \"<p class=asmo>{{body}}</p>\"}\n");
    java.nio.file.Files.writeString(asmo, yaml);
    TenantRegistry own = new TenantRegistry(vertx, copy);
    try {
      own.loadInitial().await();
      TenantMail t = TenantMail.of(own.get("asmo").orElseThrow());
      assertThat(t.sender().address()).isEqualTo("help-desk@inform.ivanovo.ru");
      assertThat(t.intake().mailboxPasswordEnv()).contains("OTKLIK_MAIL_ASMO_PASSWORD");
      var composed = new MailComposer().compose(new OutboundMail(t.sender(), List.of(MailAddress.of("a@b.example")),
          List.of(), Notifications.template(t, Notifications.COMMENT_ADDED), dev.otklik.core.tenant.Language.RU,
          Map.of("body", "Версия <5.2>"), "ASMO-2026-000001", null, List.of(), true));
      assertThat(composed.message().getSubject()).isEqualTo("[ASMO-2026-000001] Ответ");
      assertThat(composed.message().getHtml()).isEqualTo("<p class=asmo>Версия &lt;5.2&gt;</p>");
    } finally {
      own.close().await();
    }
  }

  @Test
  @DisplayName("every seed tenant's registration mail renders in both languages with its own text, number and brand")
  void everySeedTenantRendersItsRegistrationMail() {
    for (String id : List.of("amber-crm", "asmo", "cik-alekon", "imc", "risk-pro")) {
      TenantMail t = mail(id);
      for (var lang : dev.otklik.core.tenant.Language.values()) {
        var composed = new MailComposer().compose(new OutboundMail(t.sender(), List.of(MailAddress.of("a@b.example")),
            List.of(), Notifications.template(t, Notifications.REQUEST_REGISTERED), lang,
            Map.of("subject", "Тема", "created-at", "23.11.2026 10:15 MSK", "tenant-name", t.name().in(lang),
                "status", "new"),
            t.numberPrefix() + "-2026-000123", null, List.of(), true));
        assertThat(composed.message().getSubject()).as(id).isEqualTo(
            "[" + t.numberPrefix() + "-2026-000123] " + t.template("request-registered").orElseThrow().subject()
                .in(lang).replace("[{{number}}] ", ""));
        assertThat(composed.message().getText()).as(id).contains(t.numberPrefix() + "-2026-000123")
            .contains("23.11.2026 10:15 MSK");
        assertThat(composed.message().getHtml()).as(id).contains(t.primaryColor());
        assertThat(composed.messageId()).as(id).endsWith("@" + t.sender().asciiDomain());
      }
    }
  }
}
