package dev.otklik.mail.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

@DisplayName("ReplyTrimmer")
class ReplyTrimmerTest {

  @Test
  @DisplayName("drops a trailing block of '>' lines")
  void trailingQuotedLinesAreDropped() {
    assertThat(ReplyTrimmer.trim("Готово.\n\n> старый текст\n> ещё\n")).isEqualTo("Готово.");
  }

  @Test
  @DisplayName("keeps quotes interleaved with answers as context")
  void interleavedQuotesAreKept() {
    String text = "> Какая версия?\n3.2.1\n> А платформа?\n8.3.25\n";
    assertThat(ReplyTrimmer.trim(text)).isEqualTo("> Какая версия?\n3.2.1\n> А платформа?\n8.3.25");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "On Mon, 30 Nov 2026 at 09:12, Support <support@inform.ivanovo.ru> wrote:",
        "30.11.2026 9:12, Служба поддержки написал(а):",
        "Иван Петров пишет:",
        "пн, 30 нояб. 2026 г. в 09:12, Служба поддержки <support@inform.ivanovo.ru>:",
        "30.11.2026, 09:12, \"Служба поддержки\" <support@inform.ivanovo.ru>:",
        "-----Original Message-----",
        "-----Исходное сообщение-----",
      })
  @DisplayName("cuts at a quote header of English, Russian, Gmail, Yandex and Outlook clients")
  void quoteHeadersCutTheHistory(String header) {
    String text = "Новый ответ.\n\n" + header + "\nстарый текст без кавычек\n> и с кавычками\n";
    assertThat(ReplyTrimmer.trim(text)).isEqualTo("Новый ответ.");
  }

  @Test
  @DisplayName("cuts at a quote header that the client wrapped over two lines")
  void wrappedQuoteHeaderIsRecognised() {
    String text = "Да, работает.\n\nOn Mon, 30 Nov 2026 at 09:12, Support <\nsupport@inform.ivanovo.ru> wrote:\n> Проверьте\n";
    assertThat(ReplyTrimmer.trim(text)).isEqualTo("Да, работает.");
  }

  @Test
  @DisplayName("cuts at an Outlook header block in Russian without a separator")
  void outlookRussianHeaderBlockIsCut() {
    String text = "Спасибо!\n\nОт: Служба поддержки [mailto:support@inform.ivanovo.ru]\nОтправлено: 30 ноября 2026 г. 9:12\nКому: Иван\nТема: RE: заявка\n\nТекст";
    assertThat(ReplyTrimmer.trim(text)).isEqualTo("Спасибо!");
  }

  @Test
  @DisplayName("drops the signature after the '-- ' delimiter")
  void dashDashSignatureIsDropped() {
    assertThat(ReplyTrimmer.trim("Проблема решена.\n-- \nИван Петров\n+7 (495) 000-00-00\n")).isEqualTo("Проблема решена.");
  }

  @Test
  @DisplayName("drops a «С уважением,» closing followed by a short block")
  void shortRegardsBlockIsDropped() {
    assertThat(ReplyTrimmer.trim("Прошу перезвонить.\n\nС уважением,\nИван Петров\nООО «Ромашка»\n"))
        .isEqualTo("Прошу перезвонить.");
  }

  @Test
  @DisplayName("keeps a «С уважением» line followed by a long block, which is content, not a signature")
  void regardsFollowedByLongTextIsKept() {
    String text = "Начало.\nС уважением к вашему времени, перечислю шаги:\n1\n2\n3\n4\n5\n6\n7\n8";
    assertThat(ReplyTrimmer.trim(text)).isEqualTo(text);
  }

  @Test
  @DisplayName("returns the text unchanged when everything in it is quoted")
  void fullyQuotedTextIsKept() {
    assertThat(ReplyTrimmer.trim("> только цитата\n")).isEqualTo("> только цитата");
  }
}
