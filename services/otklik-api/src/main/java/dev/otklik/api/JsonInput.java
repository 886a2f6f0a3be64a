package dev.otklik.api;

import dev.otklik.core.OtklikException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.UUID;

/**
 * A JSON object body read strictly: an unknown key, or a value of the wrong type, is a 400
 * problem naming the field, so a typo never silently drops what the client meant to send.
 */
final class JsonInput {

  private final JsonObject json;

  private JsonInput(JsonObject json) {
    this.json = json;
  }

  /** The body as a JSON object with only {@code allowed} keys; 400 {@code request.malformed-json} otherwise. */
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
    for (String key : object.fieldNames()) {
      if (!allowed.contains(key)) {
        throw OtklikException.badRequest("ticket.field-unknown", key);
      }
    }
    return new JsonInput(object);
  }

  boolean has(String key) {
    return json.containsKey(key);
  }

  /** Stripped text, null when absent, null or blank. */
  String text(String key, int maxLength) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.length() > maxLength) {
      throw TicketRules.invalid(key, "text of at most " + maxLength + " characters");
    }
    return s.isBlank() ? null : s.strip();
  }

  UUID uuid(String key) {
    String s = text(key, 36);
    try {
      return s == null ? null : UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      throw TicketRules.invalid(key, "an id (UUID)");
    }
  }

  LocalDate date(String key) {
    String s = text(key, 10);
    try {
      return s == null ? null : LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw TicketRules.invalid(key, "a date (2026-03-01)");
    }
  }

  OffsetDateTime dateTime(String key) {
    String s = text(key, 40);
    try {
      return s == null ? null : OffsetDateTime.parse(s);
    } catch (DateTimeParseException e) {
      throw TicketRules.invalid(key, "a date and time with offset (2026-03-01T10:00:00+03:00)");
    }
  }

  boolean bool(String key) {
    Object v = json.getValue(key);
    if (v != null && !(v instanceof Boolean)) {
      throw TicketRules.invalid(key, "true or false");
    }
    return Boolean.TRUE.equals(v);
  }

  int integer(String key, int min, int max) {
    Object v = json.getValue(key);
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min
        || ((Number) v).longValue() > max) {
      throw TicketRules.invalid(key, "a whole number from " + min + " to " + max);
    }
    return ((Number) v).intValue();
  }

  JsonObject object(String key) {
    Object v = json.getValue(key);
    if (v != null && !(v instanceof JsonObject)) {
      throw TicketRules.invalid(key, "an object");
    }
    return (JsonObject) v;
  }
}
