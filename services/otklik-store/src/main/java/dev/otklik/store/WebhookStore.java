package dev.otklik.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Webhook endpoints, their deliveries and the delivery log (V014). Deliveries are written by the
 * {@code outbox} trigger in the transaction of the change, so a committed change always has them;
 * the dispatcher claims due rows per endpoint with {@code FOR UPDATE SKIP LOCKED} and a lease, and
 * records each attempt, the delivery's new state and the endpoint's failure streak in one
 * transaction ({@link #record}).
 */
public final class WebhookStore {

  /** An endpoint failing without a single success for this long is switched off. */
  public static final Duration FAILING_LIMIT = Duration.ofDays(5);
  /** How long the delivery log is kept. */
  public static final Duration RETENTION = Duration.ofDays(30);
  /** How many bytes of a response body the log keeps. */
  public static final int LOGGED_BODY_CHARS = 1024;

  private final TenantTransactions tx;
  private final Clock clock;
  private final NamedSql sql;
  private final MailStore mail;

  public WebhookStore(TenantTransactions tx, Clock clock) {
    this.tx = tx;
    this.clock = clock;
    this.sql = NamedSql.load("webhook");
    this.mail = tx == null ? null : new MailStore(tx, clock);
    for (String name : List.of("insert-endpoint", "find-endpoint", "find-config-endpoint", "list-endpoints",
        "update-endpoint", "rotate-secret", "delete-endpoint", "insert-delivery", "due-endpoints", "claim-due",
        "insert-attempt", "finish-delivery", "endpoint-succeeded", "endpoint-failed", "disable-endpoint",
        "tenant-admins", "list-deliveries", "list-attempts", "redeliver-one", "redeliver-range",
        "delete-old-attempts", "delete-old-deliveries", "sync-config-endpoint", "disable-removed-config-endpoints")) {
      sql.get(name);
    }
  }

  public Clock clock() {
    return clock;
  }

  /** An endpoint. {@code secret} is null for a config endpoint, which names {@code secretEnv} instead. */
  public record Endpoint(UUID id, String tenantId, String url, String description, List<String> eventTypes,
      boolean enabled, String disabledReason, String source, String configKey, String secret, String secretEnv,
      String previousSecret, OffsetDateTime previousSecretUntil, OffsetDateTime failingSince,
      OffsetDateTime lastSuccessAt, int version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {}

  /** What a new or changed endpoint says. */
  public record EndpointDetails(String url, String description, List<String> eventTypes, boolean enabled) {}

  public Future<Endpoint> createEndpoint(String tenantId, EndpointDetails d, String secret) {
    return insertEndpoint(tenantId, d, "api", null, secret, null);
  }

  /**
   * Brings the tenant's config endpoints in line with its file: each spec created once (keyed by
   * its id) and then updated; config endpoints no longer in the file are switched off. Returns
   * the endpoints as they are now.
   */
  public Future<List<Endpoint>> syncConfigEndpoints(String tenantId, List<ConfigEndpoint> specs) {
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> {
      Future<List<Endpoint>> chain = Future.succeededFuture(new ArrayList<>());
      for (ConfigEndpoint spec : specs) {
        chain = chain.compose(done -> syncOne(conn, tenantId, spec, now).map(e -> {
          done.add(e);
          return done;
        }));
      }
      return chain.compose(done -> sql.run(conn, "disable-removed-config-endpoints", Params.of("tenant_id", tenantId,
          "keys", specs.stream().map(ConfigEndpoint::key).toArray(String[]::new), "now", now)).map(done));
    });
  }

  /** An endpoint as tenant config declares it. */
  public record ConfigEndpoint(String key, EndpointDetails details, String secretEnv) {}

  private Future<Endpoint> syncOne(SqlConnection conn, String tenantId, ConfigEndpoint spec, OffsetDateTime now) {
    EndpointDetails d = spec.details();
    return sql.run(conn, "find-config-endpoint", Params.of("tenant_id", tenantId, "config_key", spec.key()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return sql.run(conn, "insert-endpoint", endpointParams(tenantId, UUID.randomUUID(), d, "config", spec.key(),
                null, spec.secretEnv())).map(r -> endpoint(r.iterator().next()));
          }
          Endpoint current = endpoint(rows.iterator().next());
          return sql.run(conn, "sync-config-endpoint", Params.of("tenant_id", tenantId, "config_key", spec.key(),
                  "url", d.url(), "description", d.description(), "event_types", d.eventTypes().toArray(String[]::new),
                  "secret_env", spec.secretEnv(), "enabled", d.enabled(), "now", now))
              .map(r -> r.size() == 0 ? current : endpoint(r.iterator().next()));
        });
  }

  private Future<Endpoint> insertEndpoint(String tenantId, EndpointDetails d, String source, String configKey,
      String secret, String secretEnv) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "insert-endpoint", endpointParams(tenantId, UUID.randomUUID(), d,
        source, configKey, secret, secretEnv)).map(rows -> endpoint(rows.iterator().next())));
  }

  private Map<String, Object> endpointParams(String tenantId, UUID id, EndpointDetails d, String source,
      String configKey, String secret, String secretEnv) {
    return Params.of("tenant_id", tenantId, "id", id, "url", d.url(), "description", d.description(),
        "event_types", d.eventTypes().toArray(String[]::new), "enabled", d.enabled(), "source", source,
        "config_key", configKey, "secret", secret, "secret_env", secretEnv, "now", now());
  }

  public Future<Optional<Endpoint>> endpoint(String tenantId, UUID id) {
    return tx.inTenant(tenantId, conn -> findEndpoint(conn, tenantId, id));
  }

  private Future<Optional<Endpoint>> findEndpoint(SqlConnection conn, String tenantId, UUID id) {
    return sql.run(conn, "find-endpoint", Params.of("tenant_id", tenantId, "id", id))
        .map(rows -> rows.size() == 0 ? Optional.<Endpoint>empty() : Optional.of(endpoint(rows.iterator().next())));
  }

  public Future<Page<Endpoint>> listEndpoints(String tenantId, int offset, int limit) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "list-endpoints", Params.of("tenant_id", tenantId,
        "offset", (long) offset, "limit", (long) limit)).map(rows -> Page.of(rows, WebhookStore::endpoint)));
  }

  /**
   * Changes an endpoint; {@code version} null skips the lost-update check. Empty when there is no
   * such endpoint or its version differs.
   */
  public Future<Optional<Endpoint>> updateEndpoint(String tenantId, UUID id, Integer version, EndpointDetails d) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "update-endpoint", Params.of("tenant_id", tenantId, "id", id,
            "url", d.url(), "description", d.description(), "event_types", d.eventTypes().toArray(String[]::new),
            "enabled", d.enabled(), "disabled_reason", d.enabled() ? null : "disabled by an administrator",
            "secret_env", null, "version", version, "now", now()))
        .map(rows -> rows.size() == 0 ? Optional.<Endpoint>empty() : Optional.of(endpoint(rows.iterator().next()))));
  }

  /** Switches a config endpoint on or off (its other fields follow the file). */
  public Future<Optional<Endpoint>> setEnabled(String tenantId, UUID id, Integer version, boolean enabled) {
    return tx.inTenant(tenantId, conn -> findEndpoint(conn, tenantId, id).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Optional.<Endpoint>empty());
      }
      Endpoint e = found.get();
      return sql.run(conn, "update-endpoint", Params.of("tenant_id", tenantId, "id", id, "url", e.url(),
              "description", e.description(), "event_types", e.eventTypes().toArray(String[]::new),
              "enabled", enabled, "disabled_reason", enabled ? null : "disabled by an administrator",
              "secret_env", null, "version", version, "now", now()))
          .map(rows -> rows.size() == 0 ? Optional.<Endpoint>empty() : Optional.of(endpoint(rows.iterator().next())));
    }));
  }

  /** A new secret; the old one keeps signing (a second signature) until {@code overlap} has passed. */
  public Future<Optional<Endpoint>> rotateSecret(String tenantId, UUID id, String secret, Duration overlap) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "rotate-secret", Params.of("tenant_id", tenantId, "id", id,
            "secret", secret, "overlap_until", now().plus(overlap), "now", now()))
        .map(rows -> rows.size() == 0 ? Optional.<Endpoint>empty() : Optional.of(endpoint(rows.iterator().next()))));
  }

  public Future<Boolean> deleteEndpoint(String tenantId, UUID id) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "delete-endpoint", Params.of("tenant_id", tenantId, "id", id))
        .map(rows -> rows.size() > 0));
  }

  /** A delivery written directly (the "send test event" call); returns its id (the webhook-id). */
  public Future<UUID> insertDelivery(String tenantId, UUID endpointId, String kind, JsonObject payload) {
    UUID id = UUID.randomUUID();
    return tx.inTenant(tenantId, conn -> sql.run(conn, "insert-delivery", Params.of("tenant_id", tenantId, "id", id,
        "endpoint_id", endpointId, "kind", kind, "payload", payload, "now", now())).map(id));
  }

  // ---------------------------------------------------------------- dispatching

  /** A claimed delivery; {@code attempt} counts this attempt (1 = first). */
  public record Claimed(UUID id, UUID endpointId, String kind, Long eventSequence, UUID ticketId, JsonObject payload,
      int attempt, OffsetDateTime createdAt) {}

  /** Enabled endpoints of the tenant with due deliveries. */
  public Future<List<UUID>> dueEndpoints(String tenantId) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "due-endpoints", Params.of("tenant_id", tenantId, "now", now()))
        .map(rows -> map(rows, r -> r.getUUID("endpoint_id"))));
  }

  /** Claims up to {@code limit} due deliveries of one endpoint for {@code lease}, with the endpoint as it is now. */
  public Future<Optional<Map.Entry<Endpoint, List<Claimed>>>> claim(String tenantId, UUID endpointId, int limit,
      Duration lease) {
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> findEndpoint(conn, tenantId, endpointId).compose(e -> {
      if (e.isEmpty() || !e.get().enabled()) {
        return Future.succeededFuture(Optional.empty());
      }
      return sql.run(conn, "claim-due", Params.of("tenant_id", tenantId, "endpoint_id", endpointId, "now", now,
              "lease_until", now.plus(lease), "limit", limit))
          .map(rows -> Optional.of(Map.entry(e.get(), map(rows, r -> new Claimed(r.getUUID("id"),
              r.getUUID("endpoint_id"), r.getString("kind"), r.getLong("event_sequence"), r.getUUID("ticket_id"),
              (JsonObject) r.getValue("payload"), r.getInteger("attempts"), r.getOffsetDateTime("created_at"))))));
    }));
  }

  /** What became of one attempt. */
  public enum Verdict { DELIVERED, RETRY, GIVE_UP, GONE }

  /**
   * One attempt's outcome, as the log keeps it and as it moves the delivery on.
   *
   * @param nextAttemptAt for {@link Verdict#RETRY}
   */
  public record AttemptResult(Claimed delivery, String url, String requestBody, Integer status, String responseBody,
      String error, long latencyMs, Verdict verdict, OffsetDateTime nextAttemptAt) {}

  /** What recording an attempt did to the endpoint. */
  public record Recorded(boolean endpointDisabled, String reason) {}

  /**
   * Records an attempt, in one transaction: the log row, the delivery's state, the endpoint's
   * failure streak; a 410 or five days of failures switch the endpoint off, and in the second case
   * the tenant admins get a mail row ({@code webhook-endpoint-disabled}) in the mail outbox.
   */
  public Future<Recorded> record(String tenantId, AttemptResult a) {
    OffsetDateTime now = now();
    Claimed d = a.delivery();
    String state = switch (a.verdict()) {
      case DELIVERED -> "delivered";
      case RETRY -> "pending";
      case GIVE_UP, GONE -> "failed";
    };
    return tx.inTenant(tenantId, conn -> sql.run(conn, "insert-attempt", Params.of("tenant_id", tenantId,
            "id", UUID.randomUUID(), "delivery_id", d.id(), "endpoint_id", d.endpointId(), "attempt", d.attempt(),
            "url", a.url(), "request_body", a.requestBody(), "response_status", a.status(),
            "response_body", truncate(a.responseBody(), LOGGED_BODY_CHARS), "error", truncate(a.error(), 2000),
            "latency_ms", (int) Math.min(Integer.MAX_VALUE, a.latencyMs()), "now", now))
        .compose(ok -> sql.run(conn, "finish-delivery", Params.of("tenant_id", tenantId, "id", d.id(), "state", state,
            "next_attempt_at", a.verdict() == Verdict.RETRY ? a.nextAttemptAt() : now, "status", a.status(),
            "error", truncate(a.error(), 2000), "now", now)))
        .compose(ok -> {
          if (a.verdict() == Verdict.DELIVERED) {
            return sql.run(conn, "endpoint-succeeded", Params.of("tenant_id", tenantId, "id", d.endpointId(), "now", now))
                .map(new Recorded(false, null));
          }
          if (a.verdict() == Verdict.GONE) {
            return disable(conn, tenantId, d.endpointId(), "gone: the receiver answered 410", false, now);
          }
          return sql.run(conn, "endpoint-failed", Params.of("tenant_id", tenantId, "id", d.endpointId(), "now", now))
              .compose(rows -> {
                if (rows.size() == 0) {
                  return Future.succeededFuture(new Recorded(false, null));
                }
                Row r = rows.iterator().next();
                OffsetDateTime since = r.getOffsetDateTime("failing_since");
                if (r.getBoolean("enabled") && !since.plus(FAILING_LIMIT).isAfter(now)) {
                  return disable(conn, tenantId, d.endpointId(), "failing since " + since, true, now);
                }
                return Future.succeededFuture(new Recorded(false, null));
              });
        }));
  }

  private Future<Recorded> disable(SqlConnection conn, String tenantId, UUID endpointId, String reason,
      boolean tellAdmins, OffsetDateTime now) {
    return sql.run(conn, "disable-endpoint", Params.of("tenant_id", tenantId, "id", endpointId, "reason", reason,
            "now", now))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(new Recorded(false, null));
          }
          String url = rows.iterator().next().getString("url");
          if (!tellAdmins || mail == null) {
            return Future.succeededFuture(new Recorded(true, reason));
          }
          return sql.run(conn, "tenant-admins", Params.of("tenant_id", tenantId))
              .compose(admins -> {
                JsonArray to = new JsonArray();
                admins.forEach(r -> to.add(r.getString("email")));
                return mail.insertDirect(conn, tenantId, "webhook-endpoint-disabled", null, new JsonObject()
                    .put("to", to).put("template", "webhook-endpoint-disabled")
                    .put("values", new JsonObject().put("endpoint-id", endpointId.toString()).put("url", url)
                        .put("reason", reason)));
              })
              .map(new Recorded(true, reason));
        });
  }

  // ---------------------------------------------------------------- log, redelivery, cleanup

  public Future<Page<JsonObject>> listDeliveries(String tenantId, UUID endpointId, int offset, int limit) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "list-deliveries", Params.of("tenant_id", tenantId,
        "endpoint_id", endpointId, "offset", (long) offset, "limit", (long) limit))
        .map(rows -> Page.of(rows, WebhookStore::json)));
  }

  /** The delivery log of an endpoint, newest attempt first. */
  public Future<Page<JsonObject>> listAttempts(String tenantId, UUID endpointId, int offset, int limit) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "list-attempts", Params.of("tenant_id", tenantId,
        "endpoint_id", endpointId, "offset", (long) offset, "limit", (long) limit))
        .map(rows -> Page.of(rows, WebhookStore::json)));
  }

  /** Sends one message again, now, with the same webhook-id; false if the endpoint has no such delivery. */
  public Future<Boolean> redeliver(String tenantId, UUID endpointId, UUID deliveryId) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "redeliver-one", Params.of("tenant_id", tenantId,
        "endpoint_id", endpointId, "id", deliveryId, "now", now())).map(rows -> rows.size() > 0));
  }

  /** Sends again every finished message of the endpoint created in [from, to); returns how many. */
  public Future<Integer> redeliverRange(String tenantId, UUID endpointId, OffsetDateTime from, OffsetDateTime to) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "redeliver-range", Params.of("tenant_id", tenantId,
        "endpoint_id", endpointId, "from", from, "to", to, "now", now())).map(RowSet::size));
  }

  /** Deletes log rows and finished deliveries older than {@link #RETENTION}; returns the log rows deleted. */
  public Future<Integer> cleanup(String tenantId) {
    OffsetDateTime before = now().minus(RETENTION);
    return tx.inTenant(tenantId, conn -> sql.run(conn, "delete-old-attempts", Params.of("tenant_id", tenantId,
            "before", before))
        .compose(attempts -> sql.run(conn, "delete-old-deliveries", Params.of("tenant_id", tenantId, "before", before))
            .map(attempts.rowCount())));
  }

  // ---------------------------------------------------------------- helpers

  private static JsonObject json(Row r) {
    JsonObject j = r.toJson();
    j.remove("total");
    return j;
  }

  static Endpoint endpoint(Row r) {
    String[] types = r.getArrayOfStrings("event_types");
    return new Endpoint(r.getUUID("id"), r.getString("tenant_id"), r.getString("url"), r.getString("description"),
        types == null ? List.of() : Arrays.asList(types), r.getBoolean("enabled"), r.getString("disabled_reason"),
        r.getString("source"), r.getString("config_key"), r.getString("secret"), r.getString("secret_env"),
        r.getString("previous_secret"), r.getOffsetDateTime("previous_secret_until"),
        r.getOffsetDateTime("failing_since"), r.getOffsetDateTime("last_success_at"), r.getInteger("version"),
        r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
  }


  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  private static <T> List<T> map(RowSet<Row> rows, java.util.function.Function<Row, T> item) {
    List<T> out = new ArrayList<>();
    rows.forEach(row -> out.add(item.apply(row)));
    return out;
  }
}
