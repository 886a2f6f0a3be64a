package dev.otklik.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The server side of an OpenID Connect browser sign-in (V019): the state of a flow between its
 * start and the provider's callback, and the one-time code that hands the finished sign-in to the
 * portal. Both are spent by the one statement that reads them (a second use finds nothing), lapse
 * on their own, and live in their tenant: a state or code of tenant A is unknown at tenant B.
 * Only SHA-256 hashes of the state, the code and the browser-binding value are stored.
 */
public final class OidcFlowStore {

  /** How long a started flow may take to come back from the provider. */
  public static final Duration STATE_TTL = Duration.ofMinutes(10);
  /** How long the portal has to collect a finished sign-in. */
  public static final Duration CODE_TTL = Duration.ofMinutes(2);
  /** Lapsed rows are deleted this long after they lapsed, when the tenant makes new ones. */
  private static final Duration KEEP_LAPSED = Duration.ofDays(1);

  /**
   * A flow in progress.
   *
   * @param returnTo    a portal route to open after sign-in, or null
   * @param browserHash SHA-256 of the value in the browser-binding cookie set at the start
   */
  public record LoginState(String providerId, String nonce, String codeVerifier, String returnTo,
      String browserHash) {

    /** Leaves the secrets out. */
    @Override
    public String toString() {
      return "LoginState[" + providerId + " " + returnTo + "]";
    }
  }

  /** A finished sign-in waiting for the portal. */
  public record SignInCode(UUID userId, String providerId, List<String> amr) {}

  private final TenantTransactions tx;
  private final Clock clock;
  private final NamedSql sql = NamedSql.load("external_identity");
  private final SecureRandom random = new SecureRandom();

  public OidcFlowStore(TenantTransactions tx, Clock clock) {
    this.tx = tx;
    this.clock = Objects.requireNonNull(clock, "clock");
    for (String name : List.of("insert-state", "delete-lapsed-states", "spend-state", "insert-code",
        "delete-lapsed-codes", "spend-code")) {
      sql.get(name);
    }
  }

  /** 256 random bits, base64url without padding (43 characters): states, nonces, verifiers, codes. */
  public String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** SHA-256 (hex) of a token, as stored. */
  public static String hash(String token) {
    return RefreshTokenStore.hash(token);
  }

  /** Records a started flow under {@code state}; it lapses after {@link #STATE_TTL}. */
  public Future<Void> saveState(String tenantId, String state, LoginState flow) {
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> sql.run(conn, "delete-lapsed-states", Params.of("tenant_id", tenantId,
            "before", now.minus(KEEP_LAPSED)))
        .compose(ok -> sql.run(conn, "insert-state", Params.of("tenant_id", tenantId, "state_hash", hash(state),
            "provider_id", flow.providerId(), "nonce", flow.nonce(), "code_verifier", flow.codeVerifier(),
            "return_to", flow.returnTo(), "browser_hash", flow.browserHash(), "now", now,
            "expires_at", now.plus(STATE_TTL))))
        .mapEmpty());
  }

  /** The live flow of {@code state}, spent now; empty when unknown, spent or lapsed. */
  public Future<Optional<LoginState>> spendState(String tenantId, String state) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "spend-state", Params.of("tenant_id", tenantId,
            "state_hash", hash(state), "now", now()))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.<LoginState>empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new LoginState(r.getString("provider_id"), r.getString("nonce"),
              r.getString("code_verifier"), r.getString("return_to"), r.getString("browser_hash")));
        }));
  }

  /** A one-time code for the portal to collect the sign-in of {@code userId} with; lapses after {@link #CODE_TTL}. */
  public Future<String> issueCode(String tenantId, UUID userId, String providerId, List<String> amr) {
    String code = randomToken();
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> sql.run(conn, "delete-lapsed-codes", Params.of("tenant_id", tenantId,
            "before", now.minus(KEEP_LAPSED)))
        .compose(ok -> sql.run(conn, "insert-code", Params.of("tenant_id", tenantId, "code_hash", hash(code),
            "user_id", userId, "provider_id", providerId, "amr", amr.toArray(String[]::new), "now", now,
            "expires_at", now.plus(CODE_TTL))))
        .map(code));
  }

  /** The sign-in a live code stands for, spent now; empty when unknown, spent or lapsed. */
  public Future<Optional<SignInCode>> spendCode(String tenantId, String code) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "spend-code", Params.of("tenant_id", tenantId,
            "code_hash", hash(code), "now", now()))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.<SignInCode>empty();
          }
          Row r = rows.iterator().next();
          String[] amr = r.getArrayOfStrings("amr");
          return Optional.of(new SignInCode(r.getUUID("user_id"), r.getString("provider_id"),
              amr == null ? List.of() : Arrays.asList(amr)));
        }));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
