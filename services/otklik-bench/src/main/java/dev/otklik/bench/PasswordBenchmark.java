package dev.otklik.bench;

import dev.otklik.core.auth.Argon2Options;
import dev.otklik.core.auth.PasswordHasher;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The cost of one login's password check with the production Argon2id setting. Intended to sit
 * at tens of milliseconds: slow enough to make guessing expensive, quick enough for a login.
 * The same-run baseline is one SHA-256 of the same password, what an unsalted fast hash costs.
 */
final class PasswordBenchmark {

  private static final int VERIFIES_PER_RUN = 10;
  private static final int DIGESTS_PER_RUN = 100_000;

  void run(PrintStream out) throws NoSuchAlgorithmException {
    PasswordHasher hasher = new PasswordHasher();
    String encoded = hasher.hash("correct horse battery staple");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] password = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);

    Measure.Result baseline = Measure.median(() -> {
      long sum = 0;
      for (int i = 0; i < DIGESTS_PER_RUN; i++) {
        sum += sha.digest(password)[0];
      }
      return sum;
    });
    Measure.Result argon = Measure.median(() -> {
      long ok = 0;
      for (int i = 0; i < VERIFIES_PER_RUN; i++) {
        ok += hasher.verify("correct horse battery staple", encoded) ? 1 : 0;
      }
      return ok;
    });
    double baseNanos = (double) baseline.medianNanos() / DIGESTS_PER_RUN;
    double argonNanos = (double) argon.medianNanos() / VERIFIES_PER_RUN;
    Argon2Options o = Argon2Options.DEFAULT;
    out.printf("password  baseline sha-256            %10.2f µs per hash      1.0      (checksum %d)%n",
        baseNanos / 1_000, baseline.checksum());
    out.printf("password  argon2id m=%d,t=%d,p=%d  %10.1f ms per verify   %,.0f   (checksum %d)%n",
        o.memoryKib(), o.iterations(), o.parallelism(), argonNanos / 1_000_000, argonNanos / baseNanos,
        argon.checksum());
  }
}
