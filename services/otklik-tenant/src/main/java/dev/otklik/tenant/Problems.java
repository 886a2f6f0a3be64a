package dev.otklik.tenant;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one file, so that a vendor sees all of them at once. */
final class Problems {

  private final String file;
  private final List<TenantConfigException> found = new ArrayList<>();

  Problems(String file) {
    this.file = file;
  }

  void add(String path, String reason) {
    found.add(new TenantConfigException(file, path, reason));
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  List<TenantConfigException> list() {
    return List.copyOf(found);
  }

  /** Throws the refusal when anything was found. */
  void throwIfAny() {
    if (!found.isEmpty()) {
      throw new TenantConfigRejectedException(found);
    }
  }
}
