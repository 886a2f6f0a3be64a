package dev.otklik.mail.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.mail.inbound.InboundMailParser;
import dev.otklik.mail.inbound.ParsedMail;
import dev.otklik.store.TestClock;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.Ticket;
import dev.otklik.store.TicketStore;
import dev.otklik.store.UserStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real-world-shaped message in {@code src/test/resources/eml/} through the intake, each
 * with its expected outcome ({@code eml/corpus.tsv}): the request or comment it becomes in
 * PostgreSQL, its subject and text decoded from KOI8-R, windows-1251, ISO-8859-5 or UTF-8 (also
 * under a wrong or missing charset label, or no Content-Type at all), its attachments, and the
 * raw bytes kept.
 */
@DisplayName("Inbound mail corpus")
class MailCorpusTest {

  record Case(String file, boolean registered, boolean thread, String state, String outcome, String subject,
      String text, String absent, int attachments) {

    @Override
    public String toString() {
      return file + " -> " + outcome;
    }
  }

  static List<Case> cases() throws IOException {
    try (InputStream in = MailCorpusTest.class.getResourceAsStream("/eml/corpus.tsv")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(l -> l.split("\t"))
          .map(f -> new Case(f[0], f[1].equals("registered"), f[2].equals("yes"), f[3], f[4], dash(f[5]), dash(f[6]),
              dash(f[7]), Integer.parseInt(f[8])))
          .toList();
    }
  }

  private static String dash(String s) {
    return s.equals("-") ? null : s;
  }

  @Test
  @DisplayName("the corpus has at least 25 messages and lists every .eml file exactly once")
  void corpusCoversEveryFile() throws IOException, URISyntaxException {
    Path dir = Path.of(MailCorpusTest.class.getResource("/eml/corpus.tsv").toURI()).getParent();
    List<String> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".eml")).sorted().toList();
    }
    assertThat(cases()).extracting(Case::file).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(files);
    assertThat(files).hasSizeGreaterThanOrEqualTo(25);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @DisplayName("each corpus message has its expected outcome")
  void corpusMessageHasItsExpectedOutcome(Case c) throws Exception {
    byte[] raw;
    try (InputStream in = MailCorpusTest.class.getResourceAsStream("/eml/" + c.file())) {
      raw = in.readAllBytes();
    }
    MailDesk desk = MailDesk.forwarding(new TestClock(Instant.parse("2026-11-23T08:00:00Z")));
    ParsedMail parsed = new InboundMailParser().parse(raw);
    if (c.registered() && parsed.from() != null) {
      new UserStore(desk.tx).create(desk.tenantId, new UserStore.NewUser(parsed.from().address(), "Sender", "ru", null,
          Role.CUSTOMER, desk.organisation.id())).await();
    }
    Ticket existing = c.thread() ? desk.portalRequest("Существующее обращение") : null;
    if (existing != null) {
      assertThat(existing.number()).isEqualTo("TST-2026-000001");
    }

    MailIntake.Result result = desk.intake(TestDatabase.vertx()).receive(desk.tenantId, raw, "http").await();

    assertThat(result.state()).as("state").isEqualTo(c.state());
    assertThat(result.outcome()).as("outcome").isEqualTo(c.outcome());
    assertThat(desk.store.inboundRaw(desk.tenantId, result.id()).await()).as("raw kept").hasValue(raw);
    List<Ticket> tickets = desk.allTickets();
    switch (c.outcome()) {
      case "registered" -> {
        assertThat(tickets).hasSize(1);
        Ticket t = tickets.get(0);
        assertThat(t.channel()).isEqualTo("email");
        assertThat(t.number()).isEqualTo(result.ticketNumber());
        if (c.subject() != null) {
          assertThat(t.subject()).contains(c.subject());
        }
        if (c.text() != null) {
          assertThat(t.description()).contains(c.text());
        }
        assertThat(desk.tickets().attachments(desk.tenantId, desk.staff(), t.number()).await())
            .hasSizeGreaterThanOrEqualTo(c.attachments());
      }
      case "commented" -> {
        assertThat(tickets).as("no new request").hasSize(1);
        assertThat(result.ticketNumber()).isEqualTo(existing.number());
        List<TicketStore.Comment> comments = desk.comments(existing.number());
        assertThat(comments).hasSize(1);
        if (c.text() != null) {
          assertThat(comments.get(0).body()).contains(c.text());
        }
        if (c.absent() != null) {
          assertThat(comments.get(0).body()).doesNotContain(c.absent());
        }
      }
      default -> {
        assertThat(tickets).as("no new request").hasSize(existing == null ? 0 : 1);
        if (existing != null) {
          assertThat(desk.comments(existing.number())).as("no comment on the thread").isEmpty();
        }
      }
    }
  }
}
