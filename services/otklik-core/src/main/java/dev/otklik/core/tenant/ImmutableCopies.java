package dev.otklik.core.tenant;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Immutable copies that keep the order a vendor wrote things in ({@link Map#copyOf} does not). */
final class ImmutableCopies {

  static <K, V> Map<K, V> orderedMap(Map<K, V> map) {
    Map<K, V> copy = new LinkedHashMap<>();
    map.forEach((key, value) -> copy.put(Objects.requireNonNull(key), Objects.requireNonNull(value)));
    return Collections.unmodifiableMap(copy);
  }

  private ImmutableCopies() {}
}
