package dev.otklik.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code java -jar otklik-bench.jar <scenario> [--tenant-config=DIR]}. Scenarios:
 * {@code deadlines}: SLA deadline computations per second against a same-run baseline, and
 * the time to recompute 100,000 open requests' deadlines after a calendar change.
 * {@code password}: one Argon2id login check against a SHA-256 baseline.
 * {@code sockets} and {@code stream-latency}: the WebSocket gateway of a node started from
 * {@code --app-jar} (default {@code services/otklik-app/target/otklik-app.jar}); see
 * {@link StreamBenchmark}. Their knobs: {@code --connections=}, {@code --sockets=}, {@code --rate=},
 * {@code --seconds=}, {@code --warmup=}, {@code --node-jvm="-Xmx1g"}.
 * {@code http}: create/read/list/comment over REST against same-run INSERT and SELECT ceilings
 * ({@link HttpBenchmark}); knobs {@code --seconds=} (per measurement, default 10),
 * {@code --concurrency=} (closed loop, default 32), {@code --rate=} (open loop, default 200),
 * {@code --stored=} (requests seeded into the tenant before measuring, default 0), {@code --nodes=},
 * {@code --node-jvm=} (extra node JVM options, a profiler say), {@code --scenarios=create,read,list,comment},
 * {@code --warmup=} (seconds per side before measuring, default half of {@code --seconds}),
 * {@code --pool-size=} (database connections of each node and of the ceiling, default 8).
 * {@code mixed}: open-loop mixed traffic over the seed tenants and {@code --tenants=} generated
 * ones (default 100) at {@code --rate=} for {@code --seconds=}; {@code soak}: the same for 10
 * minutes by default, sampled every 30 s (memory, event-loop lag, latency); see {@link MixedBenchmark}.
 */
public final class Bench {

  private Bench() {}

  /** This benchmark's own jar, the classpath of the ceiling server it starts. */
  private static Path benchJar() throws Exception {
    return Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: otklik-bench <deadlines|password|sockets|stream-latency|http|mixed|soak> [--tenant-config=DIR]"
          + " [--app-jar=JAR] [--connections=N] [--sockets=N] [--rate=N] [--seconds=N] [--warmup=N] [--tenants=N] [--stored=N] [--nodes=N] [--node-instances=N] [--pool-size=N] [--node-jvm=OPTS] [--scenarios=create,read,list,comment]");
      System.exit(2);
    }
    Path tenantConfig = Path.of("tenant-config");
    Path appJar = Path.of("services/otklik-app/target/otklik-app.jar");
    java.util.Map<String, String> streamSettings = new java.util.HashMap<>();
    for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
      if (arg.startsWith("--tenant-config=")) {
        tenantConfig = Path.of(arg.substring("--tenant-config=".length()));
      } else if (arg.startsWith("--app-jar=")) {
        appJar = Path.of(arg.substring("--app-jar=".length()));
      } else if (arg.matches("--(connections|sockets|rate|seconds|warmup|concurrency|tenants|stored|nodes|node-instances|pool-size)=\\d+") || arg.startsWith("--node-jvm=") || arg.matches("--scenarios=[a-z,]+")) {
        streamSettings.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else {
        System.err.println("unknown argument " + arg);
        System.exit(2);
      }
    }
    switch (args[0]) {
      case "deadlines" -> new DeadlineBenchmark(tenantConfig).run(System.out);
      case "password" -> new PasswordBenchmark().run(System.out);
      case "sockets" -> new StreamBenchmark(appJar, tenantConfig, streamSettings).sockets(System.out);
      case "stream-latency" -> new StreamBenchmark(appJar, tenantConfig, streamSettings).streamLatency(System.out);
      case "mixed" -> new MixedBenchmark(appJar, tenantConfig,
          Integer.parseInt(streamSettings.getOrDefault("tenants", "100")),
          Integer.parseInt(streamSettings.getOrDefault("rate", "200")))
          .run(System.out, Duration.ofSeconds(Long.parseLong(streamSettings.getOrDefault("seconds", "60"))), Duration.ZERO);
      case "soak" -> new MixedBenchmark(appJar, tenantConfig,
          Integer.parseInt(streamSettings.getOrDefault("tenants", "100")),
          Integer.parseInt(streamSettings.getOrDefault("rate", "200")))
          .run(System.out, Duration.ofSeconds(Long.parseLong(streamSettings.getOrDefault("seconds", "600"))),
              Duration.ofSeconds(30));
      case "http" -> new HttpBenchmark(appJar, benchJar(), tenantConfig,
          Duration.ofSeconds(Long.parseLong(streamSettings.getOrDefault("seconds", "10"))),
          Duration.ofSeconds(Long.parseLong(streamSettings.getOrDefault("warmup",
              Long.toString(Math.max(3, Long.parseLong(streamSettings.getOrDefault("seconds", "10")) / 2))))),
          Integer.parseInt(streamSettings.getOrDefault("pool-size", "8")),
          Integer.parseInt(streamSettings.getOrDefault("concurrency", "32")),
          Integer.parseInt(streamSettings.getOrDefault("rate", "200")),
          Integer.parseInt(streamSettings.getOrDefault("stored", "0")),
          Integer.parseInt(streamSettings.getOrDefault("nodes", "1")),
          streamSettings.containsKey("node-jvm") ? List.of(streamSettings.get("node-jvm").split(" ")) : List.of(),
          Set.of(streamSettings.getOrDefault("scenarios", "create,read,list,comment").split(","))).run(System.out);
      default -> {
        System.err.println("unknown scenario " + args[0]);
        System.exit(2);
      }
    }
  }
}
