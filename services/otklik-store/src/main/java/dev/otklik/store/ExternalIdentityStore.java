package dev.otklik.store;

import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * People signed in by a tenant's OpenID Connect providers (V019 {@code external_identity}), and
 * just-in-time provisioning, all in one transaction per sign-in:
 *
 * <ol>
 *   <li>a link of (provider, subject) names the account;</li>
 *   <li>else an account of the tenant with the same e-mail is linked, but only when the provider
 *       says the e-mail is verified ({@code email_verified: true}): an unverified address never
 *       takes over an account;</li>
 *   <li>else a new account is made, without a password: with the role the claims gave, and for a
 *       customer the organisation a claim names (its id or contract number) or, for a verified
 *       e-mail only, the organisation owning the e-mail's domain.</li>
 * </ol>
 *
 * Every sign-in sets the account's role to the one the claims give now (the provider is the
 * source of truth for roles of the people it signs in). Disabled accounts and service accounts
 * are refused. The e-mail and name of a linked account are not changed.
 *
 * <p>Refusals are {@link OtklikException}s (403): {@code auth.account-disabled},
 * {@code auth.oidc-role-unmapped}, {@code auth.oidc-organisation-unmatched},
 * {@code auth.oidc-email-missing}, {@code auth.oidc-email-unverified}.
 */
public final class ExternalIdentityStore {

  /**
   * What a provider said about a person, with the role the caller mapped from the claims.
   *
   * @param providerId            the provider's id in the tenant's config
   * @param subject               the {@code sub} claim
   * @param email                 the e-mail claim (a plausible address), or null
   * @param emailVerified         true only when the provider said {@code email_verified: true}
   * @param displayName           the name for a new account (never blank)
   * @param locale                {@code ru} or {@code en}, for a new account
   * @param role                  the role the claims give, or null when they give none
   * @param organisationReference a claim naming the customer's organisation (id or contract number), or null
   */
  public record ExternalSignIn(String providerId, String subject, String email, boolean emailVerified,
      String displayName, String locale, Role role, String organisationReference) {

    public ExternalSignIn {
      Objects.requireNonNull(providerId, "providerId");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(displayName, "displayName");
      Objects.requireNonNull(locale, "locale");
    }
  }

  /** How the account was found. */
  public enum Outcome {
    /** the provider's subject was already linked to it */
    LINKED,
    /** an existing account with the same verified e-mail, linked now */
    MATCHED_BY_EMAIL,
    /** made now */
    CREATED
  }

  public record Provisioned(UserAccount user, Outcome outcome) {}

  /** One link of an account to a provider's subject. */
  public record Identity(String providerId, String subject, String email, OffsetDateTime createdAt,
      OffsetDateTime lastSignInAt) {}

  private final TenantTransactions tx;
  private final Clock clock;
  private final NamedSql sql = NamedSql.load("external_identity");

  public ExternalIdentityStore(TenantTransactions tx, Clock clock) {
    this.tx = tx;
    this.clock = Objects.requireNonNull(clock, "clock");
    for (String name : List.of("lock-identity", "lock-account-by-email", "lock-account", "insert-identity",
        "touch-identity", "set-role", "find-organisation-by-reference", "find-organisation-by-domain",
        "list-identities")) {
      sql.get(name);
    }
  }

  /**
   * The account this sign-in is for, linked, updated or made as the class describes. Two first
   * sign-ins of one person at once both end on the same account: the loser of the race runs again
   * and finds the winner's link.
   */
  public Future<Provisioned> signIn(String tenantId, ExternalSignIn in) {
    return attempt(tenantId, in).recover(failure -> raced(failure)
        ? attempt(tenantId, in) : Future.failedFuture(failure));
  }

  /** The provider links of an account, oldest first. */
  public Future<List<Identity>> identities(String tenantId, UUID userId) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "list-identities",
            Params.of("tenant_id", tenantId, "user_id", userId))
        .map(rows -> {
          List<Identity> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Identity(r.getString("provider_id"), r.getString("subject"),
              r.getString("email"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("last_sign_in_at"))));
          return out;
        }));
  }

  private Future<Provisioned> attempt(String tenantId, ExternalSignIn in) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    return tx.inTenant(tenantId, conn -> {
      UserStore users = new UserStore(TenantTransactions.joining(conn));
      return sql.run(conn, "lock-identity", Params.of("tenant_id", tenantId, "provider_id", in.providerId(),
              "subject", in.subject()))
          .compose(links -> {
            if (links.size() > 0) {
              UUID userId = links.iterator().next().getUUID("user_id");
              return update(conn, tenantId, in, userId)
                  .compose(ok -> sql.run(conn, "touch-identity", Params.of("tenant_id", tenantId,
                      "provider_id", in.providerId(), "subject", in.subject(), "now", now)))
                  .compose(ok -> account(users, tenantId, userId, Outcome.LINKED));
            }
            if (in.email() == null) {
              return Future.failedFuture(OtklikException.forbidden("auth.oidc-email-missing"));
            }
            return sql.run(conn, "lock-account-by-email", Params.of("tenant_id", tenantId, "email", in.email()))
                .compose(found -> found.size() > 0
                    ? linkExisting(conn, users, tenantId, in, found.iterator().next(), now)
                    : create(conn, users, tenantId, in, now));
          });
    });
  }

  private Future<Provisioned> linkExisting(SqlConnection conn, UserStore users, String tenantId, ExternalSignIn in,
      Row account, OffsetDateTime now) {
    if (!in.emailVerified()) {
      return Future.failedFuture(OtklikException.forbidden("auth.oidc-email-unverified"));
    }
    UUID userId = account.getUUID("id");
    return update(conn, tenantId, in, userId)
        .compose(ok -> link(conn, tenantId, in, userId, now))
        .compose(ok -> account(users, tenantId, userId, Outcome.MATCHED_BY_EMAIL));
  }

  private Future<Provisioned> create(SqlConnection conn, UserStore users, String tenantId, ExternalSignIn in,
      OffsetDateTime now) {
    if (in.role() == null) {
      return Future.failedFuture(OtklikException.forbidden("auth.oidc-role-unmapped"));
    }
    Future<UUID> organisation = in.role() == Role.CUSTOMER
        ? organisationOf(conn, tenantId, in).compose(ExternalIdentityStore::requireOrganisation)
        : Future.succeededFuture(null);
    return organisation
        .compose(orgId -> users.create(tenantId, new UserStore.NewUser(in.email(), in.displayName(), in.locale(),
            null, in.role(), orgId)))
        .compose(user -> link(conn, tenantId, in, user.id(), now)
            .compose(ok -> account(users, tenantId, user.id(), Outcome.CREATED)));
  }

  /** Refuses a disabled or service account; sets the role the claims give now. */
  private Future<Void> update(SqlConnection conn, String tenantId, ExternalSignIn in, UUID userId) {
    return sql.run(conn, "lock-account", Params.of("tenant_id", tenantId, "id", userId)).compose(rows -> {
      Row account = rows.size() == 0 ? null : rows.iterator().next();
      if (account == null || !account.getBoolean("enabled") || Boolean.TRUE.equals(account.getBoolean("service_account"))) {
        return Future.failedFuture(OtklikException.forbidden("auth.account-disabled"));
      }
      if (in.role() == null) {
        return Future.failedFuture(OtklikException.forbidden("auth.oidc-role-unmapped"));
      }
      if (in.role().code().equals(account.getString("role"))) {
        return Future.succeededFuture();
      }
      Future<UUID> organisation = in.role() == Role.CUSTOMER && account.getUUID("organisation_id") == null
          ? organisationOf(conn, tenantId, in).compose(ExternalIdentityStore::requireOrganisation)
          : Future.succeededFuture(null);
      return organisation.compose(orgId -> sql.run(conn, "set-role", Params.of("tenant_id", tenantId, "id", userId,
              "role", in.role().code(), "organisation_id", orgId)))
          .mapEmpty();
    });
  }

  private Future<RowSet<Row>> link(SqlConnection conn, String tenantId, ExternalSignIn in, UUID userId,
      OffsetDateTime now) {
    return sql.run(conn, "insert-identity", Params.of("tenant_id", tenantId, "provider_id", in.providerId(),
        "subject", in.subject(), "user_id", userId, "email", in.email(), "now", now));
  }

  /**
   * The organisation a claim names (by id or contract number; ambiguous contract numbers match
   * nothing), else for a verified e-mail the organisation owning its domain, else null.
   */
  private Future<UUID> organisationOf(SqlConnection conn, String tenantId, ExternalSignIn in) {
    Future<UUID> byReference = in.organisationReference() == null || in.organisationReference().isBlank()
        ? Future.succeededFuture(null)
        : sql.run(conn, "find-organisation-by-reference", Params.of("tenant_id", tenantId,
                "reference", in.organisationReference().strip()))
            .map(rows -> rows.size() == 1 ? rows.iterator().next().getUUID("id") : null);
    return byReference.compose(found -> {
      if (found != null || !in.emailVerified() || in.email() == null) {
        return Future.succeededFuture(found);
      }
      String domain = in.email().substring(in.email().lastIndexOf('@') + 1).strip().toLowerCase(Locale.ROOT);
      return sql.run(conn, "find-organisation-by-domain", Params.of("tenant_id", tenantId, "domain", domain))
          .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("organisation_id"));
    });
  }

  private static Future<UUID> requireOrganisation(UUID organisationId) {
    return organisationId != null ? Future.succeededFuture(organisationId)
        : Future.failedFuture(OtklikException.forbidden("auth.oidc-organisation-unmatched"));
  }

  private static Future<Provisioned> account(UserStore users, String tenantId, UUID userId, Outcome outcome) {
    return users.findById(tenantId, userId).map(user -> new Provisioned(user.orElseThrow(), outcome));
  }

  private static boolean raced(Throwable failure) {
    return failure instanceof OtklikException e && "user.email-taken".equals(e.code())
        || PgErrors.is(failure, PgErrors.UNIQUE_VIOLATION, "external_identity_pkey");
  }
}
