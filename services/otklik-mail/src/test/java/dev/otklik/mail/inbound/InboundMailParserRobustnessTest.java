package dev.otklik.mail.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Unparseable input is kept for an admin to see, never dropped: the parser must never throw. */
class InboundMailParserRobustnessTest {

  private static final List<String> FIXTURES =
      List.of("koi8r-8bit.eml", "windows1251-qp.eml", "rfc2231-filenames.eml", "nested-multipart.eml",
          "forwarded.eml", "html-only.eml", "broken-encoded-words.eml", "idn-no-message-id.eml");

  private final InboundMailParser parser = new InboundMailParser();

  @Property(tries = 300)
  @Label("random bytes never make the parser throw and always keep the raw bytes")
  void randomBytesNeverThrow(@ForAll("garbage") byte[] input) {
    ParsedMail mail = parser.parse(input);

    assertThat(mail.raw()).isEqualTo(input);
    assertThat(mail.contentSha256()).isEqualTo(InboundMailParser.sha256(input));
    if (mail.status() != ParsedMail.Status.OK) {
      assertThat(mail.problem()).isNotBlank();
    }
  }

  @Property(tries = 300)
  @Label("truncated or corrupted real mail never makes the parser throw")
  void mangledMailNeverThrows(@ForAll("mangledMail") byte[] input) {
    ParsedMail mail = parser.parse(input);

    assertThat(mail).isNotNull();
    assertThat(mail.status() == ParsedMail.Status.OK || mail.problem() != null).isTrue();
  }

  @Provide
  Arbitrary<byte[]> garbage() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
    Arbitrary<byte[]> headerish =
        Arbitraries.strings()
            .withChars("=?:;<>\"'\r\n\t -_*%BQbq@()/,abcFromSubjectContent-Type")
            .ofMaxLength(500)
            .map(s -> ("Content-Type: multipart/mixed; boundary=x\r\nSubject: " + s).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    return Arbitraries.oneOf(random, headerish);
  }

  @Provide
  Arbitrary<byte[]> mangledMail() {
    Arbitrary<byte[]> original = Arbitraries.of(FIXTURES).map(InboundMailParserTest::fixture);
    return Combinators.combine(original, Arbitraries.integers().between(0, 10_000), Arbitraries.bytes(),
            Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(1, 20))
        .as((bytes, cut, value, at, flips) -> {
          byte[] mangled = java.util.Arrays.copyOf(bytes, Math.min(bytes.length, cut));
          for (int i = 0; i < flips && mangled.length > 0; i++) {
            mangled[(at + i * 37) % mangled.length] = (byte) (value + i);
          }
          return mangled;
        });
  }
}
