package dev.otklik.store;

import dev.otklik.core.OtklikException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Customer organisations of a tenant and the mail domains that identify their people. */
public final class OrganisationStore {

  /** The same shape the schema's CHECK accepts, tested here first to give a clear problem. */
  private static final Pattern DOMAIN =
      Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");

  private final TenantTransactions tx;
  private final NamedSql.Statement insert;
  private final NamedSql.Statement insertDomains;
  private final NamedSql.Statement findById;
  private final NamedSql.Statement findByDomain;
  private final NamedSql.Statement updateDetails;
  private final NamedSql.Statement list;

  public OrganisationStore(TenantTransactions tx) {
    this.tx = tx;
    NamedSql sql = NamedSql.load("organisation");
    this.insert = sql.get("insert-organisation");
    this.insertDomains = sql.get("insert-email-domains");
    this.findById = sql.get("find-by-id");
    this.findByDomain = sql.get("find-by-email-domain");
    this.updateDetails = sql.get("update-contract");
    this.list = sql.get("list-organisations");
  }

  /** What is given to create an organisation, or to change its details. */
  public record OrganisationDetails(
      String name,
      List<String> emailDomains,
      String contractNumber,
      LocalDate contractStart,
      LocalDate freeSupportUntil,
      LocalDate warrantyUntil) {

    public OrganisationDetails {
      emailDomains = List.copyOf(emailDomains);
    }
  }

  /**
   * Creates an organisation with its mail domains in one transaction.
   *
   * <p>Fails with 400 {@code organisation.email-domain-invalid} for a
   * malformed domain, or 409 {@code organisation.email-domain-taken} when another organisation
   * of the tenant already has one of the domains.
   */
  public Future<Organisation> create(String tenantId, OrganisationDetails details) {
    String[] domains;
    try {
      domains = details.emailDomains().stream().map(OrganisationStore::normaliseDomain).distinct().toArray(String[]::new);
    } catch (OtklikException invalid) {
      return Future.failedFuture(invalid);
    }
    UUID id = UUID.randomUUID();
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(insert.sql())
        .execute(insert.tuple(Params.of(
            "id", id, "tenant_id", tenantId, "name", details.name(),
            "contract_number", details.contractNumber(), "contract_start", details.contractStart(),
            "free_support_until", details.freeSupportUntil(), "warranty_until", details.warrantyUntil())))
        .compose(ignored -> domains.length == 0 ? Future.succeededFuture() : conn.preparedQuery(insertDomains.sql())
            .execute(insertDomains.tuple(Params.of("tenant_id", tenantId, "organisation_id", id, "domains", domains)))
            .recover(failure -> Future.failedFuture(
                PgErrors.is(failure, PgErrors.UNIQUE_VIOLATION, "organisation_email_domain_pkey")
                    ? new OtklikException(409, "organisation.email-domain-taken", String.join(", ", Arrays.asList(domains)))
                    : failure)))
        .compose(ignored -> find(conn, tenantId, id))
        .map(Optional::orElseThrow));
  }

  public Future<Optional<Organisation>> findById(String tenantId, UUID id) {
    return tx.inTenant(tenantId, conn -> find(conn, tenantId, id));
  }

  /** The organisation whose people write from {@code domain} (case and a leading {@code @} ignored). */
  public Future<Optional<Organisation>> findByEmailDomain(String tenantId, String domain) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(findByDomain.sql())
        .execute(findByDomain.tuple(Params.of("tenant_id", tenantId, "domain", bareDomain(domain))))
        .map(OrganisationStore::first));
  }

  /**
   * Changes name and contract dates if the row is still at {@code expectedVersion}; mail domains
   * are kept. Returns the new version.
   *
   * <p>Fails with 409 {@code organisation.version-conflict} when someone changed it meanwhile, or
   * 404 {@code organisation.not-found} when the tenant has no such organisation.
   */
  public Future<Integer> updateDetails(String tenantId, UUID id, int expectedVersion, OrganisationDetails details) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(updateDetails.sql())
        .execute(updateDetails.tuple(Params.of(
            "tenant_id", tenantId, "id", id, "expected_version", expectedVersion, "name", details.name(),
            "contract_number", details.contractNumber(), "contract_start", details.contractStart(),
            "free_support_until", details.freeSupportUntil(), "warranty_until", details.warrantyUntil())))
        .compose(rows -> rows.size() == 1
            ? Future.succeededFuture(rows.iterator().next().getInteger("version"))
            : find(conn, tenantId, id).compose(current -> Future.failedFuture(current.isPresent()
                ? new OtklikException(409, "organisation.version-conflict", expectedVersion, current.get().version())
                : OtklikException.notFound("organisation.not-found", id)))));
  }

  /** Fields an organisation list sorts by. */
  public static final Set<String> SORT_FIELDS = Set.of("name", "createdAt", "contractNumber");

  /**
   * A page of the tenant's organisations, or only {@code onlyId} when it is given (a customer
   * sees just their own). Fails with 400 {@code page.sort-invalid} for an unknown sort.
   */
  public Future<Page<Organisation>> list(String tenantId, UUID onlyId, ListQuery query) {
    return listAmong(tenantId, onlyId == null ? null : List.of(onlyId), query);
  }

  /**
   * A page of the tenant's organisations, or only those in {@code onlyIds} when it is given (a
   * customer sees the ones they belong to; empty matches none). Fails with 400
   * {@code page.sort-invalid} for an unknown sort.
   */
  public Future<Page<Organisation>> listAmong(String tenantId, java.util.Collection<UUID> onlyIds, ListQuery query) {
    return Page.list(tx, tenantId, list, Params.of("only_ids", onlyIds == null ? null : onlyIds.toArray(UUID[]::new)),
        query, SORT_FIELDS, "name", OrganisationStore::organisation);
  }

  private Future<Optional<Organisation>> find(SqlConnection conn, String tenantId, UUID id) {
    return conn.preparedQuery(findById.sql())
        .execute(findById.tuple(Params.of("tenant_id", tenantId, "id", id)))
        .map(OrganisationStore::first);
  }

  private static Optional<Organisation> first(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    return Optional.of(organisation(rows.iterator().next()));
  }

  private static Organisation organisation(Row row) {
    return new Organisation(
        row.getUUID("id"), row.getString("tenant_id"), row.getString("name"),
        List.of(row.getArrayOfStrings("email_domains")), row.getString("contract_number"),
        row.getLocalDate("contract_start"), row.getLocalDate("free_support_until"),
        row.getLocalDate("warranty_until"), row.getOffsetDateTime("created_at"), row.getInteger("version"));
  }

  private static String bareDomain(String domain) {
    String d = domain.strip().toLowerCase(Locale.ROOT);
    return d.startsWith("@") ? d.substring(1) : d;
  }

  private static String normaliseDomain(String domain) {
    String d = bareDomain(domain);
    if (!DOMAIN.matcher(d).matches()) {
      throw OtklikException.badRequest("organisation.email-domain-invalid", domain);
    }
    return d;
  }
}
