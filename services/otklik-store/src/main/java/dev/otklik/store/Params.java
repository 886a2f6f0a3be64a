package dev.otklik.store;

import java.util.HashMap;
import java.util.Map;

/** Named statement values as alternating keys and values; unlike {@code Map.of}, null is a value. */
final class Params {

  private Params() {}

  static Map<String, Object> of(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must pair up");
    }
    Map<String, Object> values = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return values;
  }
}
