package dev.otklik.api;

import dev.otklik.core.OtklikException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one way the API reads a JSON request body: a JSON object, read strictly, each problem a
 * 400 naming the field, so a typo never silently drops what the client meant to send.
 *
 * <ul>
 *   <li>a body that is not a JSON object: {@code request.malformed-json};
 *   <li>a key the endpoint does not take: {@code request.field-unknown} (field);
 *   <li>a value of the wrong type or shape: {@code request.field-invalid} (field, what it must be);
 *   <li>a required value absent, null or blank: {@code request.field-required} (field).
 * </ul>
 *
 * <p>Absent, null and (for text) blank all read as "not given". Nested objects are read the same
 * way and name their fields by path ({@code title.en}). Also home to {@link #pathId}, the one way
 * to read an id from the path.
 */
final class JsonInput {

  private final JsonObject json;
  private final String path;

  private JsonInput(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  /** The body as a JSON object with only {@code allowed} keys. */
  static JsonInput of(RoutingContext ctx, Set<String> allowed) {
    Buffer body = ctx.body().buffer();
    Object value;
    try {
      value = body == null || body.length() == 0 ? null : Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new OtklikException(400, "request.malformed-json");
    }
    if (!(value instanceof JsonObject object)) {
      throw new OtklikException(400, "request.malformed-json");
    }
    return checked(object, "", allowed);
  }

  private static JsonInput checked(JsonObject object, String path, Set<String> allowed) {
    for (String key : object.fieldNames()) {
      if (!allowed.contains(key)) {
        throw unknown(path + key);
      }
    }
    return new JsonInput(object, path);
  }

  /** 400 {@code request.field-unknown}: the request names a field the endpoint does not take. */
  static OtklikException unknown(String field) {
    return OtklikException.badRequest("request.field-unknown", field);
  }

  /** 400 {@code request.field-invalid}: {@code field} must be {@code expected} (e.g. "a date (2026-03-01)"). */
  static OtklikException invalid(String field, String expected) {
    return OtklikException.badRequest("request.field-invalid", field, expected);
  }

  /** 400 {@code request.field-required}. */
  static OtklikException missing(String field) {
    return OtklikException.badRequest("request.field-required", field);
  }

  /** {@code value}, or 400 {@code request.field-required} when it is null. */
  static <T> T required(T value, String field) {
    if (value == null) {
      throw missing(field);
    }
    return value;
  }

  /** A path parameter that must be an id; a malformed one names nothing that exists: 404 {@code notFoundCode}. */
  static UUID pathId(RoutingContext ctx, String param, String notFoundCode) {
    String raw = ctx.pathParam(param);
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw OtklikException.notFound(notFoundCode, raw);
    }
  }

  /** An id given outside the body (a query parameter); 400 {@code request.field-invalid} when malformed. */
  static UUID id(String raw, String field) {
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw invalid(field, "an id (UUID)");
    }
  }

  /** The one of {@code values} whose code is {@code given}; 400 {@code request.field-invalid} listing them otherwise. */
  static <T> T oneOf(String field, String given, T[] values, Function<T, String> codeOf) {
    for (T value : values) {
      if (codeOf.apply(value).equals(given)) {
        return value;
      }
    }
    throw invalid(field, "one of " + Arrays.stream(values).map(codeOf).collect(Collectors.joining(", ")));
  }

  boolean has(String key) {
    return json.containsKey(key);
  }

  /** Stripped text; null when absent, null or blank. */
  String text(String key, int maxLength) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.length() > maxLength) {
      throw invalid(name(key), "text of at most " + maxLength + " characters");
    }
    return s.isBlank() ? null : s.strip();
  }

  /** Stripped text; 400 {@code request.field-required} when absent, null or blank. */
  String requiredText(String key, int maxLength) {
    return required(text(key, maxLength), name(key));
  }

  /** A string exactly as sent, not stripped and of any length (a password); null when absent or null. */
  String verbatim(String key) {
    Object v = json.getValue(key);
    if (v != null && !(v instanceof String)) {
      throw invalid(name(key), "text");
    }
    return (String) v;
  }

  /** The one of {@code values} named by its code; null when absent, null or blank. */
  <T> T code(String key, T[] values, Function<T, String> codeOf) {
    String given = text(key, 100);
    return given == null ? null : oneOf(name(key), given, values, codeOf);
  }

  UUID uuid(String key) {
    String s = text(key, 36);
    try {
      return s == null ? null : UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      throw invalid(name(key), "an id (UUID)");
    }
  }

  LocalDate date(String key) {
    String s = text(key, 10);
    try {
      return s == null ? null : LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw invalid(name(key), "a date (2026-03-01)");
    }
  }

  OffsetDateTime dateTime(String key) {
    String s = text(key, 40);
    try {
      return s == null ? null : OffsetDateTime.parse(s);
    } catch (DateTimeParseException e) {
      throw invalid(name(key), "a date and time with offset (2026-03-01T10:00:00+03:00)");
    }
  }

  /** False when absent or null. */
  boolean bool(String key) {
    Object v = json.getValue(key);
    if (v != null && !(v instanceof Boolean)) {
      throw invalid(name(key), "true or false");
    }
    return Boolean.TRUE.equals(v);
  }

  /** Required: absent or null is {@code request.field-invalid} too, since the range is the message. */
  int integer(String key, int min, int max) {
    Object v = json.getValue(key);
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min
        || ((Number) v).longValue() > max) {
      throw invalid(name(key), "a whole number from " + min + " to " + max);
    }
    return ((Number) v).intValue();
  }

  /** A JSON object taken as it is (its keys checked by the caller); null when absent or null. */
  JsonObject object(String key) {
    Object v = json.getValue(key);
    if (v != null && !(v instanceof JsonObject)) {
      throw invalid(name(key), "an object");
    }
    return (JsonObject) v;
  }

  /** A nested object read strictly, its fields named {@code key.field}; null when absent or null. */
  JsonInput object(String key, Set<String> allowed) {
    JsonObject nested = object(key);
    return nested == null ? null : checked(nested, name(key) + ".", allowed);
  }

  /** A list of non-blank texts, stripped; empty when absent or null. */
  List<String> texts(String key, int maxItems, int maxLength) {
    String expected = "a list of at most " + maxItems + " texts of at most " + maxLength + " characters";
    List<String> out = new ArrayList<>();
    for (Object item : array(key, maxItems, expected)) {
      if (!(item instanceof String s) || s.isBlank() || s.length() > maxLength) {
        throw invalid(name(key), expected);
      }
      out.add(s.strip());
    }
    return out;
  }

  /** A list of ids; empty when absent or null. */
  List<UUID> uuids(String key, int maxItems) {
    String expected = "a list of at most " + maxItems + " ids (UUID)";
    List<UUID> out = new ArrayList<>();
    for (Object item : array(key, maxItems, expected)) {
      try {
        out.add(UUID.fromString((String) item));
      } catch (IllegalArgumentException | ClassCastException | NullPointerException malformed) {
        throw invalid(name(key), expected);
      }
    }
    return out;
  }

  private JsonArray array(String key, int maxItems, String expected) {
    Object v = json.getValue(key);
    if (v == null) {
      return new JsonArray();
    }
    if (!(v instanceof JsonArray array) || array.size() > maxItems) {
      throw invalid(name(key), expected);
    }
    return array;
  }

  private String name(String key) {
    return path + key;
  }
}
