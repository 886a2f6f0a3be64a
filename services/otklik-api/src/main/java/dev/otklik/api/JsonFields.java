package dev.otklik.api;

import dev.otklik.core.OtklikException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reading request bodies field by field. A missing required field or a value of the wrong shape
 * is a 400 problem naming the field ({@code request.field-invalid}), never a 500.
 */
final class JsonFields {

  private JsonFields() {}

  /** The body as a JSON object; 400 {@code request.bad} when it is absent or not an object. */
  static JsonObject object(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (ClassCastException notAnObject) {
      body = null;
    }
    if (body == null) {
      throw OtklikException.badRequest("request.bad");
    }
    return body;
  }

  static String requiredText(JsonObject body, String field) {
    String value = optionalText(body, field);
    if (value == null) {
      throw invalid(field);
    }
    return value;
  }

  /** A non-blank string, stripped; null when absent or null. */
  static String optionalText(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw invalid(field);
    }
    return s.strip();
  }

  static LocalDate optionalDate(JsonObject body, String field) {
    String value = optionalText(body, field);
    try {
      return value == null ? null : LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw invalid(field);
    }
  }

  static UUID optionalUuid(JsonObject body, String field) {
    String value = optionalText(body, field);
    return value == null ? null : uuid(value, field);
  }

  static List<String> optionalTexts(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw invalid(field);
    }
    List<String> texts = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s) || s.isBlank()) {
        throw invalid(field);
      }
      texts.add(s.strip());
    }
    return texts;
  }

  /** A path or body id; a malformed one names nothing that exists, so it is 404 for paths. */
  static UUID uuid(String value, String field) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw invalid(field);
    }
  }

  /** A path parameter that must be an id; a malformed one is 404 {@code notFoundCode}. */
  static UUID pathId(RoutingContext ctx, String param, String notFoundCode) {
    String raw = ctx.pathParam(param);
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw OtklikException.notFound(notFoundCode, raw);
    }
  }

  static OtklikException invalid(String field) {
    return OtklikException.badRequest("request.field-invalid", field);
  }
}
