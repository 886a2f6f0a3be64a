package dev.otklik.mail.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.mail.MailAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("InboundMailParser")
class InboundMailParserTest {

  private final InboundMailParser parser = new InboundMailParser();

  static byte[] fixture(String name) {
    try (InputStream in = InboundMailParserTest.class.getResourceAsStream("/eml/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  @DisplayName("reads a KOI8-R body and KOI8-R encoded words in subject and sender name")
  void koi8rBodyAndEncodedWordsAreDecoded() {
    ParsedMail mail = parser.parse(fixture("koi8r-8bit.eml"));

    assertThat(mail.status()).isEqualTo(ParsedMail.Status.OK);
    assertThat(mail.subject()).isEqualTo("Не работает выгрузка отчётов");
    assertThat(mail.from()).isEqualTo(new MailAddress("ivan.petrov@example.ru", "Иван Петров"));
    assertThat(mail.textBody())
        .isEqualTo("Добрый день!\nПри выгрузке отчёта появляется ошибка \"Доступ запрещён\".\n");
    assertThat(mail.messageId()).isEqualTo("koi8-1@example.ru");
    assertThat(mail.date()).isEqualTo(Instant.parse("2026-11-23T07:15:00Z"));
    assertThat(mail.notes()).isEmpty();
  }

  @Test
  @DisplayName("reads a quoted-printable windows-1251 body and a Q-encoded windows-1251 subject")
  void windows1251QuotedPrintableIsDecoded() {
    ParsedMail mail = parser.parse(fixture("windows1251-qp.eml"));

    assertThat(mail.subject()).isEqualTo("Счёт №42 и акт сверки");
    assertThat(mail.from().displayName()).isEqualTo("Ольга Смирнова");
    assertThat(mail.textBody()).isEqualTo("Здравствуйте! Прошу выслать счёт и акт сверки за октябрь.\nСпасибо.\n");
  }

  @Test
  @DisplayName("reads a base64 ISO-8859-5 body and subject")
  void iso88595Base64IsDecoded() {
    ParsedMail mail = parser.parse(fixture("iso8859-5-base64.eml"));

    assertThat(mail.subject()).isEqualTo("Журнал изменений");
    assertThat(mail.textBody()).isEqualTo("Съешь же ещё этих мягких французских булок, да выпей чаю.\n");
  }

  @Test
  @DisplayName("overrules a windows-1251 label on UTF-8 text and notes it")
  void utf8LabelledWindows1251IsReadAsUtf8() {
    ParsedMail mail = parser.parse(fixture("utf8-labelled-cp1251.eml"));

    assertThat(mail.subject()).isEqualTo("Ошибка");
    assertThat(mail.textBody()).isEqualTo("Система не запускается после обновления платформы.\n");
    assertThat(mail.notes()).containsExactly("text/plain part labelled 'windows-1251' was read as UTF-8");
  }

  @Test
  @DisplayName("overrules a KOI8-R label on windows-1251 text")
  void windows1251LabelledKoi8rIsReadAsWindows1251() {
    ParsedMail mail = parser.parse(fixture("cp1251-labelled-koi8.eml"));

    assertThat(mail.textBody()).isEqualTo("Прошу восстановить пароль для входа в личный кабинет.\n");
    assertThat(mail.notes()).containsExactly("text/plain part labelled 'koi8-r' was read as windows-1251");
  }

  @Test
  @DisplayName("guesses windows-1251 for a body without charset and for unencoded 8-bit headers")
  void missingCharsetAndRaw8BitHeadersAreGuessed() {
    ParsedMail mail = parser.parse(fixture("cp1251-no-charset-8bit-headers.eml"));

    assertThat(mail.subject()).isEqualTo("Ошибка при проведении документа");
    assertThat(mail.from()).isEqualTo(new MailAddress("sergey@example.ru", "Сергей Кузнецов"));
    assertThat(mail.textBody()).isEqualTo("Документ не проводится, пишет «Недостаточно прав».\n");
    assertThat(mail.notes()).containsExactly("text/plain part labelled without charset was read as windows-1251");
  }

  @Test
  @DisplayName("joins a UTF-8 character split across two encoded words and decodes a quoted encoded name")
  void brokenEncodedWordsAreRepaired() {
    ParsedMail mail = parser.parse(fixture("broken-encoded-words.eml"));

    assertThat(mail.subject()).isEqualTo("Срочно: сервер недоступен");
    assertThat(mail.from()).isEqualTo(new MailAddress("anna@example.ru", "Анна Волкова"));
    assertThat(mail.textBody()).isEqualTo("Сервер не отвечает с 6 утра.\n");
  }

  @Test
  @DisplayName("decodes RFC 2231 file names, continuations included, and RFC 2047 quoted file names")
  void rfc2231AndRfc2047FileNamesAreDecoded() {
    ParsedMail mail = parser.parse(fixture("rfc2231-filenames.eml"));

    assertThat(mail.textBody()).isEqualTo("Документы во вложении.");
    assertThat(mail.attachments())
        .extracting(ParsedAttachment::fileName)
        .containsExactly("Счёт на оплату.pdf", "Протокол испытаний системы.docx", "Лог ошибки.txt");
    ParsedAttachment pdf = mail.attachments().get(0);
    assertThat(pdf.contentType()).isEqualTo("application/pdf");
    assertThat(pdf.size()).isEqualTo(13);
    assertThat(new String(pdf.bytes(), StandardCharsets.US_ASCII)).isEqualTo("%PDF-1.4 fake");
    assertThat(new String(mail.attachments().get(2).bytes(), StandardCharsets.US_ASCII)).isEqualTo("ERROR 42");
  }

  @Test
  @DisplayName("walks mixed, alternative and related parts: text, HTML, inline image and attachment")
  void nestedMultipartsAreWalked() {
    ParsedMail mail = parser.parse(fixture("nested-multipart.eml"));

    assertThat(mail.subject()).isEqualTo("Скриншот ошибки");
    assertThat(mail.textBody()).isEqualTo("Ошибка на скриншоте ниже.");
    assertThat(mail.htmlBody()).isEqualTo("<p>Ошибка на скриншоте ниже.</p><img src=\"cid:shot1@example.ru\">");
    assertThat(mail.attachments()).hasSize(2);
    ParsedAttachment image = mail.attachments().get(0);
    assertThat(image.contentType()).isEqualTo("image/png");
    assertThat(image.contentId()).isEqualTo("shot1@example.ru");
    assertThat(image.fileName()).isEqualTo("attachment-1.png");
    assertThat(mail.attachments().get(1).fileName()).isEqualTo("report.pdf");
  }

  @Test
  @DisplayName("turns an HTML-only mail into readable text with breaks, list items, entities and quotes")
  void htmlOnlyMailBecomesReadableText() {
    ParsedMail mail = parser.parse(fixture("html-only.eml"));

    assertThat(mail.htmlBody()).contains("<ol>");
    assertThat(mail.textBody())
        .isEqualTo(
            """
            Добрый день!

            Не открывается форма «Заявка» — вот шаги:

            • Открыть журнал
            • Нажать "Создать"
            Подробности: портал <https://portal.example.ru/req/1>
            Строка 2
            > Старый текст""");
  }

  @Test
  @DisplayName("inlines a forwarded message's text, lifts its attachments and keeps it as .eml")
  void forwardedMessageIsInlinedAndKept() {
    ParsedMail mail = parser.parse(fixture("forwarded.eml"));

    assertThat(mail.subject()).isEqualTo("Fwd: Ошибка в отчёте");
    assertThat(mail.textBody())
        .isEqualTo(
            """
            Пересылаю письмо бухгалтерии.

            ---------- Forwarded message ----------
            From: Бухгалтерия <buh@customer.ru>
            Date: 2026-11-23T05:00:00Z
            Subject: Ошибка в отчёте

            Отчёт не сходится с данными за октябрь.""");
    assertThat(mail.attachments())
        .extracting(ParsedAttachment::fileName, ParsedAttachment::contentType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Ошибка в отчёте.eml", "message/rfc822"),
            org.assertj.core.groups.Tuple.tuple("data.csv", "text/csv"));
    assertThat(new String(mail.attachments().get(0).bytes(), StandardCharsets.US_ASCII))
        .contains("Message-ID: <inner@customer.ru>");
  }

  @Test
  @DisplayName("keeps IDN domains in Unicode with a punycode form, and hashes mail without Message-ID")
  void idnAddressesAndContentHash() {
    byte[] raw = fixture("idn-no-message-id.eml");
    ParsedMail mail = parser.parse(raw);

    assertThat(mail.from()).isEqualTo(new MailAddress("help@цик-алекон.рф", "Служба поддержки"));
    assertThat(mail.from().asciiAddress()).isEqualTo("help@xn----8sbpjkdfsi6e.xn--p1ai");
    assertThat(mail.to())
        .containsExactly(new MailAddress("client@пример.рф", "Клиент"), MailAddress.of("other@example.com"));
    assertThat(mail.cc()).isEmpty();
    assertThat(mail.messageId()).isNull();
    assertThat(mail.contentSha256()).hasSize(64).isEqualTo(InboundMailParser.sha256(raw));
    assertThat(mail.dedupKey()).isEqualTo("sha256:" + mail.contentSha256());
  }

  @Test
  @DisplayName("reads In-Reply-To and folded References for threading")
  void threadingHeadersAreRead() {
    ParsedMail mail = parser.parse(fixture("reply-threaded.eml"));

    assertThat(mail.subject()).isEqualTo("Re: [ASMO-2026-000123] Не работает выгрузка");
    assertThat(mail.inReplyTo()).isEqualTo("6f1c0e5e-1111-4c7e-9d0e-aaaaaaaaaaaa@inform.ivanovo.ru");
    assertThat(mail.references())
        .containsExactly("first@example.ru", "6f1c0e5e-1111-4c7e-9d0e-aaaaaaaaaaaa@inform.ivanovo.ru");
    assertThat(ReplyTrimmer.trim(mail.textBody())).isEqualTo("Спасибо, после обновления всё заработало.");
  }

  @Test
  @DisplayName("flags an attachment over the limit as too large, keeping text and the other attachments")
  void oversizedAttachmentIsRefusedWithReason() {
    ParsedMail mail = new InboundMailParser(new InboundMailParser.Limits(1 << 20, 12)).parse(fixture("rfc2231-filenames.eml"));

    assertThat(mail.tooLarge()).isTrue();
    assertThat(mail.problem()).isEqualTo("attachment 'Счёт на оплату.pdf' is 13 bytes, over the limit of 12 bytes");
    assertThat(mail.textBody()).isEqualTo("Документы во вложении.");
    assertThat(mail.attachments().get(0).contentDropped()).isTrue();
    assertThat(mail.attachments().get(0).size()).isEqualTo(13);
    assertThat(mail.attachments().get(2).contentDropped()).isFalse();
  }

  @Test
  @DisplayName("flags a message over the limit as too large and reads only its headers")
  void oversizedMessageKeepsOnlyHeaders() {
    ParsedMail mail = new InboundMailParser(new InboundMailParser.Limits(100, 100)).parse(fixture("koi8r-8bit.eml"));

    assertThat(mail.status()).isEqualTo(ParsedMail.Status.TOO_LARGE);
    assertThat(mail.problem()).matches("message is \\d+ bytes, over the limit of 100 bytes");
    assertThat(mail.subject()).isEqualTo("Не работает выгрузка отчётов");
    assertThat(mail.from().address()).isEqualTo("ivan.petrov@example.ru");
    assertThat(mail.textBody()).isEmpty();
    assertThat(new String(mail.raw(), StandardCharsets.ISO_8859_1)).startsWith("From:").doesNotContain("\r\n\r\n");
  }

  @Test
  @DisplayName("keeps unparseable input with a reason instead of throwing")
  void unparseableInputIsKeptWithReason() {
    byte[] garbage = {0, 1, 2, (byte) 0xFF, 'x', '\n', '\n', 'y'};
    ParsedMail mail = parser.parse(garbage);

    assertThat(mail.unparseable()).isTrue();
    assertThat(mail.problem()).isEqualTo("no RFC 822 header found");
    assertThat(mail.raw()).isEqualTo(garbage);
    assertThat(parser.parse(new byte[0]).problem()).isEqualTo("empty input");
    assertThat(parser.parse(null).unparseable()).isTrue();
  }
}
