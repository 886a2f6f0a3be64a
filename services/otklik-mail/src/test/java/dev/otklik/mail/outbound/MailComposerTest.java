package dev.otklik.mail.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otklik.core.tenant.Language;
import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.mail.MailAddress;
import io.vertx.ext.mail.MailMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("MailComposer")
class MailComposerTest {

  static final MailTemplate ACCEPTED =
      new MailTemplate(
          LocalizedText.of("Заявка принята: {{title}}", "Request accepted: {{title}}"),
          LocalizedText.of("Ваша заявка {{number}} зарегистрирована.", "Your request {{number}} is registered."),
          Optional.of(LocalizedText.of("<p>Заявка <b>{{number}}</b>: {{title}}</p>", "<p>Request <b>{{number}}</b>: {{title}}</p>")));
  static final MailAddress CIK_SENDER = new MailAddress("help@цик-алекон.рф", "Служба поддержки ЦИК-Алекон");
  private static final UUID FIXED = UUID.fromString("6f1c0e5e-1111-4c7e-9d0e-aaaaaaaaaaaa");

  private final MailComposer composer = new MailComposer(() -> FIXED);

  private static OutboundMail mail(Language language, Map<String, String> values, String inReplyTo, List<String> references) {
    return new OutboundMail(CIK_SENDER, List.of(new MailAddress("client@example.ru", "Иван Петров"), MailAddress.of("help@цик-алекон.рф")),
        List.of(), ACCEPTED, language, values, "CIK-2026-000123", inReplyTo, references, true);
  }

  @Test
  @DisplayName("puts the bracketed request number before the rendered Russian subject")
  void subjectCarriesRequestNumber() {
    MailMessage message = composer.compose(mail(Language.RU, Map.of("title", "не работает выгрузка"), null, List.of())).message();

    assertThat(message.getSubject()).isEqualTo("[CIK-2026-000123] Заявка принята: не работает выгрузка");
    assertThat(message.getText()).isEqualTo("Ваша заявка CIK-2026-000123 зарегистрирована.");
    assertThat(MailComposer.subjectWithNumber("X-2026-1", "Re: [X-2026-1] тема")).isEqualTo("Re: [X-2026-1] тема");
  }

  @Test
  @DisplayName("renders English and escapes values in HTML only")
  void englishTemplateAndHtmlEscaping() {
    MailMessage message = composer.compose(mail(Language.EN, Map.of("title", "<script> & co"), null, List.of())).message();

    assertThat(message.getSubject()).isEqualTo("[CIK-2026-000123] Request accepted: <script> & co");
    assertThat(message.getHtml()).isEqualTo("<p>Request <b>CIK-2026-000123</b>: &lt;script&gt; &amp; co</p>");
  }

  @Test
  @DisplayName("refuses a placeholder without a value, naming it")
  void missingPlaceholderIsAnError() {
    assertThatThrownBy(() -> composer.compose(mail(Language.RU, Map.of(), null, List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("template placeholder {{title}} has no value");
  }

  @Test
  @DisplayName("names the Message-ID after the sender's domain in punycode and writes IDN recipients in punycode")
  void messageIdAndAddressesUsePunycode() {
    ComposedMail composed = composer.compose(mail(Language.RU, Map.of("title", "x"), null, List.of()));

    assertThat(composed.messageId()).isEqualTo(FIXED + "@xn----8sbpjkdfsi6e.xn--p1ai");
    assertThat(composed.message().getHeaders().get("Message-ID")).isEqualTo("<" + composed.messageId() + ">");
    assertThat(composed.message().getFrom()).isEqualTo("Служба поддержки ЦИК-Алекон <help@xn----8sbpjkdfsi6e.xn--p1ai>");
    assertThat(composed.message().getTo()).containsExactly("Иван Петров <client@example.ru>", "help@xn----8sbpjkdfsi6e.xn--p1ai");
    assertThat(composed.message().getHeaders().get("Auto-Submitted")).isEqualTo("auto-generated");
  }

  @Test
  @DisplayName("threads a reply with In-Reply-To and References, trimming long References but keeping the first")
  void replyHeadersThreadTheMail() {
    List<String> many = IntStream.range(0, 15).mapToObj(i -> "m" + i + "@example.ru").toList();
    ComposedMail composed = composer.compose(mail(Language.RU, Map.of("title", "x"), "reply@example.ru", many));

    assertThat(composed.message().getHeaders().get("In-Reply-To")).isEqualTo("<reply@example.ru>");
    String references = composed.message().getHeaders().get("References");
    assertThat(references.split(" ")).hasSize(MailComposer.MAX_REFERENCES);
    assertThat(references).startsWith("<m0@example.ru> <m7@example.ru>").endsWith("<m14@example.ru> <reply@example.ru>");
  }

  @Test
  @DisplayName("refuses a recipient whose local part is not ASCII, since that needs SMTPUTF8")
  void unicodeLocalPartIsRefused() {
    assertThatThrownBy(() -> MailComposer.headerForm(MailAddress.of("поддержка@пример.рф")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SMTPUTF8");
  }
}
