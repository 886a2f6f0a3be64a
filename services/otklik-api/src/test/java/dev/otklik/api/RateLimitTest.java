package dev.otklik.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.store.UserAccount;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RateLimitTest {

  @Test
  @DisplayName("past the per-user limit a caller gets 429 with Retry-After, while a colleague and another tenant carry on until the tenant limit")
  void perUserAndPerTenantLimits() {
    try (TestApi api = new TestApi(3, 5)) {
      String tenant = api.tenant();
      String other = api.tenant();
      UserAccount anna = api.user(tenant, Role.AGENT, null);
      UserAccount boris = api.user(tenant, Role.AGENT, null);
      UserAccount vera = api.user(other, Role.AGENT, null);

      for (int i = 0; i < 3; i++) {
        assertThat(me(api, tenant, anna).statusCode()).isEqualTo(200);
      }
      HttpResponse<Buffer> limited = me(api, tenant, anna);
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.getHeader("Retry-After")).isEqualTo("20");
      assertThat(limited.bodyAsJsonObject().getString("code")).isEqualTo("request.rate-limited");

      assertThat(me(api, tenant, boris).statusCode()).as("another user of the tenant").isEqualTo(200);
      assertThat(me(api, tenant, boris).statusCode()).isEqualTo(200);
      HttpResponse<Buffer> tenantLimited = me(api, tenant, boris);
      assertThat(tenantLimited.statusCode()).as("the tenant's five are spent").isEqualTo(429);
      assertThat(tenantLimited.getHeader("Retry-After")).isEqualTo("12");
      assertThat(me(api, other, vera).statusCode()).as("another tenant").isEqualTo(200);
    }
  }

  @Test
  @DisplayName("a bucket refills at its rate per minute, and a refused request takes no token from the tenant")
  void bucketsRefill() {
    AtomicLong now = new AtomicLong(0);
    RateLimitHandler.Buckets buckets = new RateLimitHandler.Buckets(2, 3, now::get);
    assertThat(buckets.acquire("t", "a")).isZero();
    assertThat(buckets.acquire("t", "a")).isZero();
    assertThat(buckets.acquire("t", "a")).isEqualTo(TimeUnit.SECONDS.toNanos(30));
    assertThat(buckets.acquire("t", "b")).as("the refusal above spent nothing of the tenant's").isZero();
    assertThat(buckets.acquire("t", "b")).isEqualTo(TimeUnit.SECONDS.toNanos(20));
    now.addAndGet(TimeUnit.SECONDS.toNanos(30));
    assertThat(buckets.acquire("t", "a")).isZero();
    assertThat(new RateLimitHandler.Buckets(0, 0, now::get).acquire("t", "a")).as("0 switches limits off").isZero();
  }

  private static HttpResponse<Buffer> me(TestApi api, String tenant, UserAccount user) {
    return api.request(HttpMethod.GET, tenant, "/me", api.bearer(user)).send().await();
  }
}
