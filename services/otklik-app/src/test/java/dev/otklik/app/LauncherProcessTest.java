package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as an operator runs it: its own JVM, started from the command line, stopped with
 * SIGTERM, started again on the same data directory.
 */
class LauncherProcessTest {

  /** HTTP/1.1 with timeouts: a lost answer fails the test instead of hanging the build. */
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(java.time.Duration.ofSeconds(10)).build();

  private static final Pattern LISTENING = Pattern.compile("Otklik is listening on http://localhost:(\\d+)/");
  private static final Pattern PG_PORT = Pattern.compile("Embedded PostgreSQL on port (\\d+)");

  /** A started launcher process and what it printed. */
  private record Running(Process process, int httpPort, int pgPort, List<String> output) {}

  @Test
  @DisplayName("the launcher prints its port, serves the tenants, stops cleanly on SIGTERM and keeps the database for the next start")
  void startStopRestartKeepsTheDatabase(@TempDir Path work) throws Exception {
    Path data = work.resolve("data");

    Running first = launch(data);
    assertThat(httpGet(first.httpPort(), "/api/v1/tenants")).contains("\"total\":5").contains("imc");
    try (Connection c = superuser(first.pgPort())) {
      c.createStatement().execute(
          "INSERT INTO tenant (id, request_number_prefix, enabled) VALUES ('marker', 'MARK', false)");
    }
    String createdAt = asmoCreatedAt(first.pgPort());
    terminate(first, data);

    Running second = launch(data);
    try (Connection c = superuser(second.pgPort());
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM tenant WHERE id = 'marker'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("row written before the restart").isEqualTo(1);
    }
    assertThat(asmoCreatedAt(second.pgPort())).isEqualTo(createdAt);
    terminate(second, data);
  }

  private static Running launch(Path data) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), OtklikLauncher.class.getName(),
        "--http.port=0", "--http.host=127.0.0.1",
        "--data-dir=" + data, "--tenant-config=" + TestTenantConfig.repositoryDir().toAbsolutePath()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          output.add(line);
          lines.add(line);
        }
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();

    int pgPort = -1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line == null) {
        if (!process.isAlive()) {
          break;
        }
        continue;
      }
      Matcher pg = PG_PORT.matcher(line);
      if (pg.find()) {
        pgPort = Integer.parseInt(pg.group(1));
      }
      Matcher listening = LISTENING.matcher(line);
      if (listening.find()) {
        return new Running(process, Integer.parseInt(listening.group(1)), pgPort, output);
      }
    }
    process.destroyForcibly();
    throw new AssertionError("launcher did not start; it printed:\n" + String.join("\n", output));
  }

  /**
   * SIGTERM, then the outcome a clean stop leaves: the JVM exits on its own and the shutdown hook
   * has stopped PostgreSQL (its postmaster.pid is gone; a killed JVM would leave it running).
   * Asserted on outcomes rather than on the hook's log lines, whose last bytes can be lost in
   * the pipe as the process exits.
   */
  private static void terminate(Running running, Path data) throws Exception {
    running.process().destroy(); // SIGTERM
    assertThat(running.process().waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
    assertThat(Files.exists(data.resolve("pgdata/postmaster.pid")))
        .as("PostgreSQL stopped by the shutdown hook; output:%n%s", String.join("\n", running.output()))
        .isFalse();
  }

  private static String httpGet(int port, String path) throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(java.time.Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static Connection superuser(int pgPort) throws Exception {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/otklik", "postgres", "");
  }

  private static String asmoCreatedAt(int pgPort) throws Exception {
    try (Connection c = superuser(pgPort);
        ResultSet rs = c.createStatement().executeQuery("SELECT created_at::text FROM tenant WHERE id = 'asmo'")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
