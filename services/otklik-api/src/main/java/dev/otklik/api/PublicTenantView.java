package dev.otklik.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What anyone may know about a tenant: identity, branding, contacts and hours, the service
 * catalogue, the request taxonomy and form, the SLA table as a customer reads it, and the
 * library. Built from the validated config tree; intake rules, templates and timers stay
 * internal. Keys are converted from the config's kebab-case to the API's camelCase.
 */
public final class PublicTenantView {

  private static final List<String> PUBLIC_SECTIONS = List.of(
      "identity", "branding", "channels", "calendar", "catalogue", "taxonomy",
      "request-form", "sla", "library", "contract");

  private PublicTenantView() {}

  public static JsonObject of(JsonObject config) {
    String id = config.getString("id");
    JsonObject view = new JsonObject()
        .put("id", id)
        .put("defaultLocale", config.getString("default-locale", "ru"))
        .put("requestNumberPrefix", config.getString("request-number-prefix"))
        .put("portalUrl", "/t/" + id + "/");
    for (String section : PUBLIC_SECTIONS) {
      Object value = config.getValue(section);
      if (value != null) {
        view.put(camel(section), camelKeys(value));
      }
    }
    JsonObject branding = view.getJsonObject("branding");
    if (branding != null && branding.containsKey("logo")) {
      branding.remove("logo");
      branding.put("logoUrl", "/api/v1/tenants/" + id + "/logo");
    }
    JsonObject sla = view.getJsonObject("sla");
    if (sla != null) {
      sla.remove("customerDelayReleasesVendor");
      sla.remove("escalation"); // the vendor's internal routine, not part of the customer's contract
    }
    return view;
  }

  /** A short entry for lists. */
  public static JsonObject summary(JsonObject config) {
    JsonObject full = of(config);
    JsonObject summary = new JsonObject();
    for (String key : List.of("id", "identity", "branding", "channels", "catalogue", "portalUrl")) {
      if (full.containsKey(key)) {
        summary.put(key, full.getValue(key));
      }
    }
    JsonObject sla = full.getJsonObject("sla", new JsonObject());
    summary.put("slaPolicy", sla.getString("policy"));
    return summary;
  }

  static Object camelKeys(Object value) {
    if (value instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      o.forEach(e -> out.put(camel(e.getKey()), camelKeys(e.getValue())));
      return out;
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(v -> out.add(camelKeys(v)));
      return out;
    }
    return value;
  }

  /** {@code request-form} -> {@code requestForm}; ids such as {@code 6.2.1} have no dash and stay. */
  static String camel(String kebab) {
    StringBuilder out = new StringBuilder(kebab.length());
    boolean upper = false;
    for (char c : kebab.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }
}
