package dev.otklik.mail.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.store.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated MIME through the whole intake (parser, rules, PostgreSQL): a fixed seed and
 * iteration count, so it is repeatable and bounded. Nothing may fail, and every message's raw
 * bytes must be stored exactly as received.
 */
@DisplayName("Inbound mail fuzzing")
class MailIntakeFuzzTest {

  private static final long SEED = 20261123L;
  private static final int ITERATIONS = 120;

  @Test
  @DisplayName("random and mutated MIME never crashes the intake and never loses the raw message")
  void randomAndMutatedMimeNeverCrashesOrLosesRaw() throws Exception {
    MailDesk desk = MailDesk.registering(Clock.systemUTC());
    MailIntake intake = desk.intake(TestDatabase.vertx());
    List<byte[]> seeds = seeds(desk);
    Random random = new Random(SEED);
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] input = mutate(random, seeds.get(random.nextInt(seeds.size())), i);
      MailIntake.Result r = intake.receive(desk.tenantId, input, "http").await();
      assertThat(r.state()).as("iteration %d", i).isIn("processed", "rejected", "quarantined");
      assertThat(desk.store.inboundRaw(desk.tenantId, r.id()).await()).as("raw of iteration %d", i)
          .hasValueSatisfying(raw -> assertThat(raw).isEqualTo(r.duplicate() ? raw : input));
    }
    assertThat(desk.inbound()).isNotEmpty();
  }

  private static List<byte[]> seeds(MailDesk desk) throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (String name : List.of("koi8r-8bit.eml", "windows1251-qp.eml", "nested-multipart.eml", "forwarded.eml",
        "rfc2231-filenames.eml", "cp1251-base64-attachment.eml", "koi8r-inline-image.eml", "no-content-type-cp1251.eml")) {
      try (InputStream in = MailIntakeFuzzTest.class.getResourceAsStream("/eml/" + name)) {
        // from the desk's registered customer, so mutations reach request creation too
        String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)
            .replaceFirst("(?m)^From: .*$", "From: " + desk.customer.email());
        out.add(text.getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    return out;
  }

  private static byte[] mutate(Random random, byte[] seed, int i) {
    switch (i % 5) {
      case 0 -> {
        byte[] b = new byte[random.nextInt(3000)];
        random.nextBytes(b);
        return b;
      }
      case 1 -> {
        return java.util.Arrays.copyOf(seed, random.nextInt(seed.length + 1));
      }
      case 2 -> {
        byte[] b = seed.clone();
        for (int k = 0; k < 1 + random.nextInt(30); k++) {
          b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        return b;
      }
      case 3 -> {
        String s = new String(seed, StandardCharsets.ISO_8859_1);
        String[] junk = {"Content-Type: multipart/mixed; boundary=\"\"\r\n", "Content-Transfer-Encoding: base64\r\n",
            "Subject: =?x-unknown?Q?=FF=FE?=\r\n", "Content-Type: text/plain; charset=\"no-such\"\r\n",
            "Message-ID: <>\r\n", "Content-Type: message/rfc822\r\n", "\r\n\r\n--\r\n"};
        int at = random.nextInt(s.length() + 1);
        return (s.substring(0, at) + junk[random.nextInt(junk.length)] + s.substring(at))
            .getBytes(StandardCharsets.ISO_8859_1);
      }
      default -> {
        // a unique message each time (fresh Message-ID), so the rules run rather than dedup
        String s = new String(seed, StandardCharsets.ISO_8859_1)
            .replaceFirst("(?im)^Message-ID: .*$", "Message-ID: <fuzz-" + i + "-" + random.nextInt() + "@fuzz.test>");
        return s.getBytes(StandardCharsets.ISO_8859_1);
      }
    }
  }
}
