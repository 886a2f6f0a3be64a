package dev.otklik.bench;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code java -jar otklik-bench.jar <scenario> [--tenant-config=DIR]}. Scenarios:
 * {@code deadlines}: SLA deadline computations per second against a same-run baseline, and
 * the time to recompute 100,000 open requests' deadlines after a calendar change.
 * {@code password}: one Argon2id login check against a SHA-256 baseline.
 */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: otklik-bench <deadlines|password> [--tenant-config=DIR]");
      System.exit(2);
    }
    Path tenantConfig = Path.of("tenant-config");
    for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
      if (arg.startsWith("--tenant-config=")) {
        tenantConfig = Path.of(arg.substring("--tenant-config=".length()));
      } else {
        System.err.println("unknown argument " + arg);
        System.exit(2);
      }
    }
    switch (args[0]) {
      case "deadlines" -> new DeadlineBenchmark(tenantConfig).run(System.out);
      case "password" -> new PasswordBenchmark().run(System.out);
      default -> {
        System.err.println("unknown scenario " + args[0]);
        System.exit(2);
      }
    }
  }
}
