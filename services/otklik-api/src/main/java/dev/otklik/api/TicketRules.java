package dev.otklik.api;

import dev.otklik.core.OtklikException;
import dev.otklik.core.tenant.SlaDuration;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a tenant's config (the validated JSON tree, kebab-case keys) says about requests:
 * number prefix and zone, taxonomy, requestable services, the extra request form, workflow
 * switches and the phone callback limit. Read per call, so a reloaded config applies at once.
 */
final class TicketRules {

  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
  private static final Pattern PHONE = Pattern.compile("[+0-9()\\-\\s,;.]{5,100}");
  private static final int MAX_FORM_TEXT = 10_000;

  private final JsonObject config;

  TicketRules(JsonObject config) {
    this.config = config;
  }

  String numberPrefix() {
    return config.getString("request-number-prefix");
  }

  ZoneId zone() {
    return ZoneId.of(config.getJsonObject("calendar", new JsonObject()).getString("time-zone", "UTC"));
  }

  /** Ids of a taxonomy list: {@code kinds}, {@code categories}, {@code priorities}, {@code severities}. */
  List<String> taxonomyIds(String list) {
    return ids(taxonomy().getJsonArray(list, new JsonArray()));
  }

  Set<String> requiredFields() {
    JsonArray given = taxonomy().getJsonArray("required-fields");
    Set<String> out = new LinkedHashSet<>();
    if (given == null || given.isEmpty()) {
      out.add("subject");
      out.add("description");
    } else {
      given.forEach(f -> out.add((String) f));
    }
    return out;
  }

  boolean requestableService(String id) {
    return requestable(config.getJsonArray("catalogue", new JsonArray()), id);
  }

  boolean hasForm() {
    return config.getJsonObject("request-form") != null;
  }

  boolean customerMayClose() {
    return workflow().getBoolean("customer-may-close", true);
  }

  Optional<SlaDuration> reopenWithin() {
    return Optional.ofNullable(workflow().getString("reopen-within")).map(SlaDuration::parse);
  }

  Optional<SlaDuration> callbackWithin() {
    JsonObject phone = config.getJsonObject("intake", new JsonObject()).getJsonObject("phone");
    return Optional.ofNullable(phone == null ? null : phone.getString("callback-within")).map(SlaDuration::parse);
  }

  /** The tenant's own label of a status, {@code {ru, en}}, or null. */
  JsonObject statusLabel(String status) {
    for (Object s : workflow().getJsonArray("statuses", new JsonArray())) {
      JsonObject label = (JsonObject) s;
      if (status.equals(label.getString("id"))) {
        return label.getJsonObject("name");
      }
    }
    return null;
  }

  /**
   * Checks the answers to the tenant's request form: no unknown field, every required field,
   * and each value of its field's type (select values among its options). Returns a copy.
   */
  JsonObject checkForm(JsonObject answers) {
    JsonObject form = config.getJsonObject("request-form");
    if (form == null) {
      throw JsonInput.unknown("form");
    }
    List<JsonObject> fields = new ArrayList<>();
    form.getJsonArray("fields", new JsonArray()).forEach(f -> fields.add((JsonObject) f));
    for (String given : answers.fieldNames()) {
      if (fields.stream().noneMatch(f -> f.getString("id").equals(given))) {
        throw JsonInput.unknown("form." + given);
      }
    }
    JsonObject out = new JsonObject();
    for (JsonObject field : fields) {
      String id = field.getString("id");
      Object value = answers.getValue(id);
      if (value == null || value instanceof String s && s.isBlank() || value instanceof JsonArray a && a.isEmpty()) {
        if (field.getBoolean("required", false)) {
          throw JsonInput.missing("form." + id);
        }
        continue;
      }
      out.put(id, checkAnswer("form." + id, field, value));
    }
    return out;
  }

  private static Object checkAnswer(String path, JsonObject field, Object value) {
    String type = field.getString("type");
    List<String> options = ids(field.getJsonArray("options", new JsonArray()));
    if ("multi-select".equals(type)) {
      if (!(value instanceof JsonArray picked)) {
        throw JsonInput.invalid(path, "a list of options");
      }
      for (Object v : picked) {
        if (!(v instanceof String s) || !options.contains(s)) {
          throw OtklikException.badRequest("ticket.value-unknown", path, String.valueOf(v));
        }
      }
      return picked.copy();
    }
    if (!(value instanceof String text) || text.length() > MAX_FORM_TEXT) {
      throw JsonInput.invalid(path, "text of at most " + MAX_FORM_TEXT + " characters");
    }
    switch (type) {
      case "email" -> require(EMAIL.matcher(text.strip()).matches(), path, "an e-mail address");
      case "phone" -> require(PHONE.matcher(text.strip()).matches(), path, "a phone number");
      case "date" -> require(parses(() -> LocalDate.parse(text)), path, "a date (2026-03-01)");
      case "datetime" -> require(parses(() -> OffsetDateTime.parse(text)), path,
          "a date and time with offset (2026-03-01T10:00:00+03:00)");
      case "select" -> {
        if (!options.contains(text)) {
          throw OtklikException.badRequest("ticket.value-unknown", path, text);
        }
      }
      default -> { }
    }
    return text;
  }

  private static void require(boolean ok, String path, String expected) {
    if (!ok) {
      throw JsonInput.invalid(path, expected);
    }
  }

  private static boolean parses(Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static boolean requestable(JsonArray nodes, String id) {
    for (Object n : nodes) {
      JsonObject node = (JsonObject) n;
      if (id.equals(node.getString("id"))) {
        return node.getBoolean("requestable", true);
      }
      if (requestable(node.getJsonArray("children", new JsonArray()), id)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> ids(JsonArray items) {
    List<String> out = new ArrayList<>();
    items.forEach(i -> out.add(((JsonObject) i).getString("id")));
    return out;
  }

  private JsonObject taxonomy() {
    return config.getJsonObject("taxonomy", new JsonObject());
  }

  private JsonObject workflow() {
    return config.getJsonObject("workflow", new JsonObject());
  }
}
