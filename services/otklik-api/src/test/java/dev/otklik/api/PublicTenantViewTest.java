package dev.otklik.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PublicTenantViewTest {

  @Test
  @DisplayName("the public view keeps public sections in camelCase and leaves intake rules, templates and the logo path out")
  void publicViewHidesInternals() {
    JsonObject config = new JsonObject("""
        {"id":"acme","enabled":true,"request-number-prefix":"ACME","default-locale":"ru",
         "identity":{"name":{"ru":"Акме","en":"Acme"}},
         "branding":{"primary-color":"#112233","logo":"logos/acme.svg"},
         "request-form":{"required-within":"8 clock-hours","fields":[]},
         "catalogue":[{"id":"6.2.1","name":{"ru":"Обновления"}}],
         "sla":{"policy":"matrix","customer-delay-releases-vendor":true,"cells":[]},
         "intake":{"email":{"unregistered-sender":"forward"}},
         "notifications":{"request-registered":{}}}
        """);
    JsonObject view = PublicTenantView.of(config);
    assertThat(view.getJsonObject("branding").getString("primaryColor")).isEqualTo("#112233");
    assertThat(view.getJsonObject("branding").getString("logoUrl")).isEqualTo("/api/v1/tenants/acme/logo");
    assertThat(view.getJsonObject("branding").containsKey("logo")).isFalse();
    assertThat(view.getJsonObject("requestForm").getString("requiredWithin")).isEqualTo("8 clock-hours");
    assertThat(view.getJsonArray("catalogue").getJsonObject(0).getString("id")).isEqualTo("6.2.1");
    assertThat(view.containsKey("intake")).isFalse();
    assertThat(view.containsKey("notifications")).isFalse();
    assertThat(view.getJsonObject("sla").containsKey("customerDelayReleasesVendor")).isFalse();
    assertThat(view.getString("portalUrl")).isEqualTo("/t/acme/");
  }
}
