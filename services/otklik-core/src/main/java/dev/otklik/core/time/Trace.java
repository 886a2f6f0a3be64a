package dev.otklik.core.time;

import java.util.ArrayList;
import java.util.List;

/** Collects explanation lines, or nothing: production paths pass {@link #OFF} and build no text. */
final class Trace {

  static final Trace OFF = new Trace(false);

  final boolean on;
  private final List<String> lines = new ArrayList<>();

  private Trace(boolean on) {
    this.on = on;
  }

  static Trace on() {
    return new Trace(true);
  }

  void add(String line) {
    if (on) {
      lines.add(line);
    }
  }

  Explanation explanation() {
    return on ? new Explanation(lines) : Explanation.none();
  }
}
