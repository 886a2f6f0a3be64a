package dev.otklik.store;

import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The people of a tenant. E-mail is unique per tenant regardless of case; the same address may
 * belong to accounts in different tenants, which never see each other.
 *
 * <p>Hashes arrive here already made: hashing is slow and blocking, so the caller does it off the
 * event loop (see {@code dev.otklik.core.auth.PasswordHasher}).
 */
public final class UserStore {

  private final TenantTransactions tx;
  private final NamedSql.Statement insert;
  private final NamedSql.Statement findByEmail;
  private final NamedSql.Statement findById;
  private final NamedSql.Statement setPasswordHash;
  private final NamedSql.Statement list;
  private final NamedSql.Statement setEnabled;

  public UserStore(TenantTransactions tx) {
    this.tx = tx;
    NamedSql sql = NamedSql.load("user");
    this.insert = sql.get("insert-user");
    this.findByEmail = sql.get("find-by-email");
    this.findById = sql.get("find-by-id");
    this.setPasswordHash = sql.get("set-password-hash");
    this.list = sql.get("list-users");
    this.setEnabled = sql.get("set-enabled");
  }

  /**
   * What is given to create an account.
   *
   * @param passwordHash   Argon2id PHC string, or null for an account that cannot log in yet
   * @param organisationId required for {@link Role#CUSTOMER}, optional for vendor staff
   */
  public record NewUser(
      String email, String displayName, String locale, String passwordHash, Role role, UUID organisationId) {}

  /**
   * Creates an account.
   *
   * <p>Fails with 400 {@code user.organisation-required} for a customer without an organisation,
   * 400 {@code user.organisation-unknown} when the organisation is not the tenant's, or 409
   * {@code user.email-taken} when the tenant already has an account with that e-mail.
   */
  public Future<UserAccount> create(String tenantId, NewUser user) {
    if (user.role() == Role.CUSTOMER && user.organisationId() == null) {
      return Future.failedFuture(OtklikException.badRequest("user.organisation-required"));
    }
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(insert.sql())
            .execute(insert.tuple(Params.of(
                "id", UUID.randomUUID(), "tenant_id", tenantId, "email", user.email().strip(),
                "display_name", user.displayName(), "locale", user.locale(), "password_hash", user.passwordHash(),
                "role", user.role().code(), "organisation_id", user.organisationId())))
            .map(rows -> first(rows).orElseThrow()))
        .recover(failure -> Future.failedFuture(translate(failure, user)));
  }

  public Future<Optional<UserAccount>> findByEmail(String tenantId, String email) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(findByEmail.sql())
        .execute(findByEmail.tuple(Params.of("tenant_id", tenantId, "email", email.strip())))
        .map(UserStore::first));
  }

  public Future<Optional<UserAccount>> findById(String tenantId, UUID id) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(findById.sql())
        .execute(findById.tuple(Params.of("tenant_id", tenantId, "id", id)))
        .map(UserStore::first));
  }

  /** Replaces the password hash (a new password, or a rehash under stronger options); true if the account exists. */
  public Future<Boolean> setPasswordHash(String tenantId, UUID id, String passwordHash) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(setPasswordHash.sql())
        .execute(setPasswordHash.tuple(Params.of("tenant_id", tenantId, "id", id, "password_hash", passwordHash)))
        .map(rows -> rows.rowCount() == 1));
  }

  /**
   * Narrows a list of users; a null field does not filter.
   *
   * @param organisationId only people of this organisation (how a customer sees colleagues)
   */
  public record UserFilter(Role role, UUID organisationId, Boolean enabled) {

    public static final UserFilter ANY = new UserFilter(null, null, null);
  }

  /** Fields a user list sorts by. */
  public static final Set<String> SORT_FIELDS = Set.of("email", "displayName", "createdAt");

  /** A page of the tenant's users; fails with 400 {@code page.sort-invalid} for an unknown sort. */
  public Future<Page<UserAccount>> list(String tenantId, UserFilter filter, ListQuery query) {
    return Page.list(tx, tenantId, list, Params.of(
            "role", filter.role() == null ? null : filter.role().code(),
            "organisation_id", filter.organisationId(), "enabled", filter.enabled()),
        query, SORT_FIELDS, "email", UserStore::account);
  }

  /** Enables or disables an account; the changed account, or empty when the tenant has no such user. */
  public Future<Optional<UserAccount>> setEnabled(String tenantId, UUID id, boolean enabled) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(setEnabled.sql())
        .execute(setEnabled.tuple(Params.of("tenant_id", tenantId, "id", id, "enabled", enabled)))
        .map(UserStore::first));
  }

  private static Throwable translate(Throwable failure, NewUser user) {
    if (PgErrors.is(failure, PgErrors.UNIQUE_VIOLATION, "app_user_email_per_tenant")) {
      return new OtklikException(409, "user.email-taken", user.email().strip());
    }
    if (PgErrors.is(failure, PgErrors.FOREIGN_KEY_VIOLATION, "app_user_tenant_id_organisation_id_fkey")) {
      return OtklikException.badRequest("user.organisation-unknown", user.organisationId());
    }
    return failure;
  }

  private static Optional<UserAccount> first(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    return Optional.of(account(rows.iterator().next()));
  }

  private static UserAccount account(Row row) {
    return new UserAccount(
        row.getUUID("id"), row.getString("tenant_id"), row.getString("email"), row.getString("display_name"),
        row.getString("locale"), row.getString("password_hash"), Role.ofCode(row.getString("role")),
        row.getUUID("organisation_id"), row.getBoolean("enabled"), row.getOffsetDateTime("created_at"),
        row.getInteger("version"));
  }
}
