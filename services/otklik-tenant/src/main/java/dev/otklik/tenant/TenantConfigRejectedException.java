package dev.otklik.tenant;

import java.util.List;
import java.util.stream.Collectors;

/** Configuration refused: every problem found, from one file or, at startup, from all of them. */
public final class TenantConfigRejectedException extends RuntimeException {

  private final List<TenantConfigException> problems;

  public TenantConfigRejectedException(List<TenantConfigException> problems) {
    super(describe(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a refusal needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public List<TenantConfigException> problems() {
    return problems;
  }

  private static String describe(List<TenantConfigException> problems) {
    return "tenant configuration refused, " + problems.size()
        + (problems.size() == 1 ? " problem:" : " problems:")
        + problems.stream().map(p -> "\n  " + p.getMessage()).collect(Collectors.joining());
  }
}
