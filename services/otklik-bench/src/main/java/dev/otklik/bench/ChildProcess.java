package dev.otklik.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A helper JVM (the shared database, the ceiling server), started and awaited by a line it prints. */
final class ChildProcess implements AutoCloseable {

  final Process process;
  final Matcher ready;

  private ChildProcess(Process process, Matcher ready) {
    this.process = process;
    this.ready = ready;
  }

  /** Starts {@code java -cp <classpath> <mainClass> args...} and waits up to 120 s for {@code readyLine}. */
  static ChildProcess start(Path classpath, String mainClass, Pattern readyLine, String... args) throws Exception {
    Path log = Files.createTempFile("otklik-bench-" + mainClass.replaceAll(".*\\.", ""), ".log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath.toString(), mainClass));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      Matcher m = readyLine.matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (m.find()) {
        return new ChildProcess(process, m);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(mainClass + " exited:\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new IllegalStateException(mainClass + " did not start within 120 s; log in " + log);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
