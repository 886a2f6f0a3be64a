package dev.otklik.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A position in a parsed configuration tree while it is bound to records by hand.
 *
 * <p>Reads are typed and strict: a missing required key, a value of the wrong type or one a
 * parser refuses is recorded with this node's JSON pointer and aborts the object being read
 * ({@link Invalid}). Lists and maps read each element on its own, so one bad element does not
 * hide problems in the others. Every key of an object must be read by its reader: a key nobody
 * asked for is an unknown key, whatever the schema allowed.
 */
final class ConfigNode {

  /** Thrown once a problem is recorded, to abandon the value being read. */
  static final class Invalid extends RuntimeException {
    Invalid() {
      super(null, null, false, false);
    }
  }

  private final JsonNode json;
  private final String pointer;
  private final Problems problems;
  private final Set<String> readKeys = new HashSet<>();

  private ConfigNode(JsonNode json, String pointer, Problems problems) {
    this.json = json;
    this.pointer = pointer;
    this.problems = problems;
  }

  static ConfigNode root(JsonNode json, Problems problems) {
    return new ConfigNode(json, "", problems);
  }

  String pointer() {
    return pointer;
  }

  boolean isPresent() {
    return !json.isMissingNode();
  }

  /** The value at {@code key}, possibly missing; the key counts as known from now on. */
  ConfigNode get(String key) {
    readKeys.add(key);
    JsonNode child = json.isObject() ? json.get(key) : null;
    return new ConfigNode(child == null ? MissingNode.getInstance() : child, Pointer.child(pointer, key), problems);
  }

  /** Records a problem at this node and abandons the value being read. */
  Invalid fail(String reason) {
    problems.add(pointer, reason);
    return new Invalid();
  }

  // ---- this node's own value ----

  String asText() {
    return expect(JsonNode::isTextual, "a string").textValue();
  }

  boolean asBoolean() {
    return expect(JsonNode::isBoolean, "true or false").booleanValue();
  }

  int asInt() {
    return expect(JsonNode::canConvertToInt, "a whole number").intValue();
  }

  /** The text, converted by {@code parser}; what the parser refuses becomes a problem here. */
  <T> T as(Function<String, T> parser) {
    String text = asText();
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException | DateTimeException e) {
      throw fail(e.getMessage());
    }
  }

  /** Reads a mapping with {@code reader}, then refuses the keys the reader did not ask for. */
  <T> T asObject(Function<ConfigNode, T> reader) {
    expect(JsonNode::isObject, "a mapping");
    T value = reader.apply(this);
    rejectUnknownKeys();
    return value;
  }

  /** Reads every element of a list, recording the problems of all bad elements. */
  <T> List<T> asList(Function<ConfigNode, T> elementReader) {
    expect(JsonNode::isArray, "a list");
    List<T> values = new ArrayList<>(json.size());
    boolean failed = false;
    for (int i = 0; i < json.size(); i++) {
      try {
        values.add(elementReader.apply(new ConfigNode(json.get(i), Pointer.child(pointer, i), problems)));
      } catch (Invalid e) {
        failed = true;
      }
    }
    if (failed) {
      throw new Invalid();
    }
    return Collections.unmodifiableList(values);
  }

  /** Reads every value of a mapping with arbitrary keys, in file order. */
  <T> Map<String, T> asMap(Function<ConfigNode, T> valueReader) {
    expect(JsonNode::isObject, "a mapping");
    Map<String, T> values = new LinkedHashMap<>();
    boolean failed = false;
    for (Iterator<String> keys = json.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      try {
        values.put(key, valueReader.apply(get(key)));
      } catch (Invalid e) {
        failed = true;
      }
    }
    if (failed) {
      throw new Invalid();
    }
    return Collections.unmodifiableMap(values);
  }

  /** This node itself; a problem if the key is missing. */
  ConfigNode required() {
    if (!isPresent()) {
      throw fail("is required but missing");
    }
    return this;
  }

  // ---- shortcuts for the keys of this mapping ----

  String text(String key) {
    return get(key).required().asText();
  }

  <T> T parse(String key, Function<String, T> parser) {
    return get(key).required().as(parser);
  }

  <T> T object(String key, Function<ConfigNode, T> reader) {
    return get(key).required().asObject(reader);
  }

  /** The value at {@code key} read by {@code reader}, or empty when the key is absent. */
  <T> Optional<T> optional(String key, Function<ConfigNode, T> reader) {
    ConfigNode child = get(key);
    return child.isPresent() ? Optional.of(reader.apply(child)) : Optional.empty();
  }

  boolean flag(String key, boolean whenAbsent) {
    return optional(key, ConfigNode::asBoolean).orElse(whenAbsent);
  }

  /** The list at {@code key}; an absent list is empty. */
  <T> List<T> list(String key, Function<ConfigNode, T> elementReader) {
    return optional(key, child -> child.asList(elementReader)).orElse(List.of());
  }

  /** Runs {@code read}, turning a failure into an empty result so siblings are still read. */
  <T> Optional<T> attempt(Function<ConfigNode, T> read) {
    try {
      return Optional.of(read.apply(this));
    } catch (Invalid e) {
      return Optional.empty();
    }
  }

  private JsonNode expect(Predicate<JsonNode> test, String expected) {
    if (!test.test(json)) {
      throw fail("expected " + expected + ", got " + describe(json));
    }
    return json;
  }

  private void rejectUnknownKeys() {
    json.fieldNames().forEachRemaining(key -> {
      if (!readKeys.contains(key)) {
        problems.add(Pointer.child(pointer, key), "unknown key \"" + key + "\"");
      }
    });
  }

  /** A short description of a value for messages: {@code "3 weeks"}, {@code a list}, {@code 12}. */
  static String describe(JsonNode value) {
    if (value.isMissingNode()) {
      return "nothing";
    } else if (value.isTextual()) {
      String text = value.textValue();
      return "\"" + (text.length() > 60 ? text.substring(0, 57) + "..." : text) + "\"";
    } else if (value.isObject()) {
      return "a mapping";
    } else if (value.isArray()) {
      return "a list";
    } else if (value.isNull()) {
      return "null";
    }
    return value.asText() + " (" + (value.isNumber() ? "a number" : "a boolean") + ")";
  }
}
