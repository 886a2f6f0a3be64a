package dev.otklik.store;

import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
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
  private final NamedSql sql;

  public UserStore(TenantTransactions tx) {
    this.tx = tx;
    NamedSql sql = NamedSql.load("user");
    this.sql = sql;
    for (String name : List.of("list-memberships", "lock-user", "add-memberships", "set-primary",
        "remove-other-memberships")) {
      sql.get(name);
    }
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
   * @param organisationId     only members of this organisation
   * @param anyOfOrganisations only members of any of these (how a customer sees colleagues: the
   *                           people of all their organisations); empty matches nobody
   */
  public record UserFilter(Role role, UUID organisationId, Boolean enabled, Collection<UUID> anyOfOrganisations) {

    public static final UserFilter ANY = new UserFilter(null, null, null);

    /** Without {@code anyOfOrganisations}. */
    public UserFilter(Role role, UUID organisationId, Boolean enabled) {
      this(role, organisationId, enabled, null);
    }

    public UserFilter {
      anyOfOrganisations = anyOfOrganisations == null ? null : List.copyOf(anyOfOrganisations);
    }
  }

  /** Fields a user list sorts by. */
  public static final Set<String> SORT_FIELDS = Set.of("email", "displayName", "createdAt");

  /** A page of the tenant's users; fails with 400 {@code page.sort-invalid} for an unknown sort. */
  public Future<Page<UserAccount>> list(String tenantId, UserFilter filter, ListQuery query) {
    return Page.list(tx, tenantId, list, Params.of(
            "role", filter.role() == null ? null : filter.role().code(),
            "organisation_id", filter.organisationId(), "enabled", filter.enabled(),
            "organisation_ids", filter.anyOfOrganisations() == null ? null
                : filter.anyOfOrganisations().toArray(UUID[]::new)),
        query, SORT_FIELDS, "email", UserStore::account);
  }

  /** Enables or disables an account; the changed account, or empty when the tenant has no such user. */
  public Future<Optional<UserAccount>> setEnabled(String tenantId, UUID id, boolean enabled) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(setEnabled.sql())
        .execute(setEnabled.tuple(Params.of("tenant_id", tenantId, "id", id, "enabled", enabled)))
        .map(UserStore::first));
  }

  /** One organisation a person belongs to; {@code primary} marks {@code app_user.organisation_id}. */
  public record Membership(UUID organisationId, String name, boolean primary) {}

  /** The person's organisations with their names, the primary first; empty for an unknown user. */
  public Future<List<Membership>> memberships(String tenantId, UUID userId) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "list-memberships",
            Params.of("tenant_id", tenantId, "user_id", userId))
        .map(UserStore::memberships));
  }

  /**
   * Replaces a person's organisations (V021 memberships) in one transaction, and sets the primary:
   * {@code primary} if given (it must be one of {@code organisationIds}), else the current primary
   * if it stays, else the first of the list. Returns the memberships as they are now.
   *
   * <p>Fails with 404 {@code user.not-found} when the tenant has no such user, 400
   * {@code user.organisation-required} for a customer left without an organisation, 400
   * {@code user.primary-not-member} when {@code primary} is not in the list, or 400
   * {@code user.organisation-unknown} when an organisation is not the tenant's.
   */
  public Future<List<Membership>> setOrganisations(String tenantId, UUID userId, List<UUID> organisationIds,
      UUID primary, Clock clock) {
    List<UUID> wanted = List.copyOf(new LinkedHashSet<>(organisationIds));
    if (primary != null && !wanted.contains(primary)) {
      return Future.failedFuture(OtklikException.badRequest("user.primary-not-member", primary));
    }
    UUID[] ids = wanted.toArray(UUID[]::new);
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    return tx.inTenant(tenantId, conn -> sql.run(conn, "lock-user", Params.of("tenant_id", tenantId, "id", userId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(OtklikException.notFound("user.not-found", userId));
          }
          Row user = rows.iterator().next();
          if (wanted.isEmpty() && Role.CUSTOMER.code().equals(user.getString("role"))) {
            return Future.failedFuture(OtklikException.badRequest("user.organisation-required"));
          }
          UUID current = user.getUUID("organisation_id");
          UUID newPrimary = primary != null ? primary
              : wanted.contains(current) ? current : wanted.isEmpty() ? null : wanted.get(0);
          return sql.run(conn, "add-memberships", Params.of("tenant_id", tenantId, "user_id", userId,
                  "organisation_ids", ids, "now", now))
              .recover(failure -> Future.failedFuture(PgErrors.is(failure, PgErrors.FOREIGN_KEY_VIOLATION,
                  "organisation_membership_tenant_id_organisation_id_fkey")
                  ? OtklikException.badRequest("user.organisation-unknown", unknownOf(wanted)) : failure))
              .compose(ok -> sql.run(conn, "set-primary", Params.of("tenant_id", tenantId, "id", userId,
                  "organisation_id", newPrimary)))
              .compose(ok -> sql.run(conn, "remove-other-memberships", Params.of("tenant_id", tenantId,
                  "user_id", userId, "organisation_ids", ids)))
              .compose(ok -> sql.run(conn, "list-memberships", Params.of("tenant_id", tenantId, "user_id", userId)))
              .map(UserStore::memberships);
        }));
  }

  private static String unknownOf(List<UUID> ids) {
    return ids.size() == 1 ? ids.get(0).toString() : String.join(", ", ids.stream().map(UUID::toString).toList());
  }

  private static List<Membership> memberships(RowSet<Row> rows) {
    List<Membership> out = new ArrayList<>();
    rows.forEach(r -> out.add(new Membership(r.getUUID("organisation_id"), r.getString("name"),
        Boolean.TRUE.equals(r.getBoolean("is_primary")))));
    return out;
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
        row.getInteger("version"),
        // statements that cannot see the memberships yet (insert-user: V021's trigger adds the primary after it)
        // leave the column out, and the primary is the only organisation
        row.getColumnIndex("organisation_ids") < 0 || row.getValue("organisation_ids") == null ? null
            : Arrays.asList(row.getArrayOfUUIDs("organisation_ids")));
  }
}
