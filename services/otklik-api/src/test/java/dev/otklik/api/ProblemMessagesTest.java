package dev.otklik.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProblemMessagesTest {

  private final ProblemMessages messages = new ProblemMessages();

  @Test
  @DisplayName("Russian and English bundles define the same problem codes, each with a title and a detail")
  void bundlesAgree() {
    assertThat(messages.codes("ru")).isEqualTo(messages.codes("en"));
    assertThat(messages.codes("en")).allSatisfy(code -> assertThat(messages.knows(code)).as(code).isTrue());
  }

  @Test
  @DisplayName("every problem code thrown in the API's sources has texts in both languages")
  void everyThrownCodeHasTexts() throws IOException {
    Pattern thrown = Pattern.compile("(?:OtklikException\\(\\d{3}, |notFound\\(|badRequest\\(|forbidden\\()\"([a-z][a-z0-9.-]+)\"");
    Set<String> codes = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = thrown.matcher(Files.readString(f));
        while (m.find()) {
          codes.add(m.group(1));
        }
      }
    }
    assertThat(codes).contains("tenant.not-found", "internal", "route.not-found");
    assertThat(codes).allSatisfy(code -> assertThat(messages.knows(code)).as(code).isTrue());
  }

  @Test
  @DisplayName("arguments are filled in, and the language follows Accept-Language with English as default")
  void argumentsAndLanguage() {
    assertThat(messages.detail("tenant.not-found", "ru", List.of("acme"))).isEqualTo("Арендатора «acme» нет.");
    assertThat(messages.detail("tenant.not-found", "en", List.of("acme"))).isEqualTo("There is no tenant 'acme'.");
    assertThat(ProblemMessages.languageOf("ru-RU,ru;q=0.9,en;q=0.5")).isEqualTo("ru");
    assertThat(ProblemMessages.languageOf("en-US;q=0.9, ru;q=0.8")).isEqualTo("en");
    assertThat(ProblemMessages.languageOf("de, ru;q=0.3")).isEqualTo("ru");
    assertThat(ProblemMessages.languageOf(null)).isEqualTo("en");
    assertThat(ProblemMessages.languageOf(";;;garbage")).isEqualTo("en");
  }
}
