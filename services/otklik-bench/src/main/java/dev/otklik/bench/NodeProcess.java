package dev.otklik.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Otklik node started from the runnable jar as its own process ({@code java -jar}, as an
 * operator runs it), on the embedded PostgreSQL (a separate process, so the node's resident
 * memory is the JVM's alone), with an admin token, a known JWT secret and no rate limits.
 */
final class NodeProcess implements AutoCloseable {

  static final String ADMIN_TOKEN = "bench-admin-token";
  private static final Pattern LISTENING = Pattern.compile("Otklik is listening on http://localhost:(\\d+)/");

  final Process process;
  final int port;

  private NodeProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static NodeProcess start(Path appJar, Path tenantConfig, List<String> jvmOptions, String... settings)
      throws Exception {
    if (!Files.isRegularFile(appJar)) {
      throw new IllegalArgumentException(appJar + " not found; build it with ./mvnw -B -DskipTests package");
    }
    Path data = Files.createTempDirectory("otklik-bench-node");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", appJar.toString(), "--http.port=" + port, "--http.host=127.0.0.1",
        "--data-dir=" + data, "--tenant-config=" + tenantConfig.toAbsolutePath(), "--tenant-reload-interval=PT0S",
        "--admin-token=" + ADMIN_TOKEN, "--jwt.secret=a-bench-secret-of-at-least-thirty-two-bytes",
        "--rate-limit.per-user-per-minute=0", "--rate-limit.per-tenant-per-minute=0"));
    command.addAll(List.of(settings));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(data.resolve("node.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String log = Files.readString(data.resolve("node.log"), StandardCharsets.UTF_8);
      Matcher m = LISTENING.matcher(log);
      if (m.find()) {
        return new NodeProcess(process, port);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("node exited:\n" + log);
      }
      Thread.sleep(200);
    }
    process.destroyForcibly();
    throw new IllegalStateException("node did not start within 120 s; log in " + data.resolve("node.log"));
  }

  /** Resident set size of the node's JVM in KiB ({@code VmRSS} in /proc). */
  long residentKiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for " + process.pid());
  }

  /** Runs a full GC in the node ({@code jcmd GC.run}) and returns the heap in use after it, in KiB. */
  long heapUsedAfterGcKiB() throws Exception {
    jcmd("GC.run");
    Thread.sleep(500);
    Matcher m = Pattern.compile("used (\\d+)K").matcher(jcmd("GC.heap_info"));
    if (!m.find()) {
      throw new IllegalStateException("no heap figure from jcmd");
    }
    return Long.parseLong(m.group(1));
  }

  private String jcmd(String command) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(process.pid()), command).redirectErrorStream(true).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        return String.join("\n", r.lines().toList());
      } catch (IOException e) {
        return "";
      }
    });
    p.waitFor(60, TimeUnit.SECONDS);
    return out.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
