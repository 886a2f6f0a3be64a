package dev.otklik.mail.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ThreadingKeys")
class ThreadingKeysTest {

  private final ThreadingKeys asmo = ThreadingKeys.forPrefix("ASMO");

  @Test
  @DisplayName("finds the bracketed request number behind any reply prefixes")
  void requestNumberIsFoundBehindPrefixes() {
    assertThat(asmo.requestNumber("Re: [ASMO-2026-000123] Не работает выгрузка")).contains("ASMO-2026-000123");
    assertThat(asmo.requestNumber("Ответ: RE: Fwd: [asmo-2026-000123] x")).contains("ASMO-2026-000123");
  }

  @Test
  @DisplayName("ignores an unbracketed number and another tenant's number")
  void unbracketedOrForeignNumbersAreIgnored() {
    assertThat(asmo.requestNumber("Re: по заявке ASMO-2026-000123")).isEmpty();
    assertThat(asmo.requestNumber("Re: [IMC-2026-000001] x")).isEmpty();
    assertThat(asmo.requestNumber(null)).isEmpty();
  }

  @Test
  @DisplayName("lists In-Reply-To first, then References newest first, without repeats")
  void referencedIdsAreOrderedForLookup() {
    ParsedMail mail = new InboundMailParser().parse(InboundMailParserTest.fixture("reply-threaded.eml"));

    assertThat(ThreadingKeys.referencedMessageIds(mail))
        .isEqualTo(List.of("6f1c0e5e-1111-4c7e-9d0e-aaaaaaaaaaaa@inform.ivanovo.ru", "first@example.ru"));
    assertThat(asmo.requestNumber(mail.subject())).contains("ASMO-2026-000123");
  }

  @Test
  @DisplayName("strips reply and forward prefixes in English and Russian")
  void replyPrefixesAreStripped() {
    assertThat(ThreadingKeys.withoutReplyPrefixes("Re: Fwd: Ответ: RE[2]: Ошибка")).isEqualTo("Ошибка");
  }
}
