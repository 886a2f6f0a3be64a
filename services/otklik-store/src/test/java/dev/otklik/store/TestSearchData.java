package dev.otklik.store;

import dev.otklik.core.auth.Role;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests, comments and attachments written straight into the V003 tables, so search tests
 * depend on the schema and not on how requests are registered. Each row goes in through the
 * application role inside {@link TenantTransactions#inTenant}, so row-level security checks it.
 */
public final class TestSearchData {

  private static final AtomicInteger NUMBERS = new AtomicInteger();

  private final TenantTransactions tx;

  /** The tenant, an agent and two customer organisations with one customer each. */
  public final String tenant;
  public final UserAccount agent;
  public final UUID alfa;
  public final UserAccount anna;
  public final UUID beta;
  public final UserAccount boris;

  /** In a new tenant of its own. */
  public TestSearchData(TenantTransactions tx) {
    this(tx, TestTenants.create(tx));
  }

  /** In {@code tenant}, a tenant row that exists and has no people yet. */
  public TestSearchData(TenantTransactions tx, String tenant) {
    this.tx = tx;
    this.tenant = tenant;
    UserStore users = new UserStore(tx);
    OrganisationStore organisations = new OrganisationStore(tx);
    this.alfa = organisations.create(tenant, new OrganisationStore.OrganisationDetails("Альфа", List.of(), null, null, null, null))
        .await().id();
    this.beta = organisations.create(tenant, new OrganisationStore.OrganisationDetails("Бета", List.of(), null, null, null, null))
        .await().id();
    this.agent = users.create(tenant, new UserStore.NewUser("agent@vendor.ru", "Агент", "ru", null, Role.AGENT, null)).await();
    this.anna = users.create(tenant, new UserStore.NewUser("anna@alfa.ru", "Анна", "ru", null, Role.CUSTOMER, alfa)).await();
    this.boris = users.create(tenant, new UserStore.NewUser("boris@beta.ru", "Борис", "ru", null, Role.CUSTOMER, beta)).await();
  }

  /** A new request of {@code requester}'s organisation; returns its number. */
  public String request(UserAccount requester, String subject, String description) {
    int seq = NUMBERS.incrementAndGet();
    String number = "TST-2025-" + String.format("%06d", seq);
    UUID id = UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    tx.inTenant(tenant, conn -> conn.preparedQuery(
            "INSERT INTO ticket (id, tenant_id, number, number_year, number_seq, channel, status, subject, description, "
                + "organisation_id, requester_id, created_by, created_at, updated_at) "
                + "VALUES ($1, $2, $3, 2025, $4, 'portal', 'new', $5, $6, $7, $8, $8, $9, $9)")
        .execute(Tuple.of(id, tenant, number, seq, subject, description).addValue(requester.organisationId())
            .addValue(requester.id()).addValue(now))).await();
    return number;
  }

  /** A comment on request {@code number}; {@code internal} makes it a note only staff see. */
  public void comment(String number, UserAccount author, String body, boolean internal) {
    tx.inTenant(tenant, conn -> conn.preparedQuery(
            "INSERT INTO ticket_comment (id, tenant_id, ticket_id, author_id, body, internal, created_at) "
                + "SELECT $1, tenant_id, id, $2, $3, $4, now() FROM ticket WHERE tenant_id = $5 AND number = $6")
        .execute(Tuple.of(UUID.randomUUID(), author.id(), body, internal, tenant, number))).await();
  }

  /** A small attached file named {@code fileName} on request {@code number}. */
  public void attachment(String number, UserAccount uploader, String fileName) {
    byte[] content = "содержимое".getBytes(StandardCharsets.UTF_8);
    tx.inTenant(tenant, conn -> conn.preparedQuery(
            "INSERT INTO ticket_attachment (id, tenant_id, ticket_id, file_name, content_type, size_bytes, content, "
                + "uploaded_by, created_at) "
                + "SELECT $1, tenant_id, id, $2, 'text/plain', $3, $4, $5, now() FROM ticket WHERE tenant_id = $6 AND number = $7")
        .execute(Tuple.of(UUID.randomUUID(), fileName, content.length, io.vertx.core.buffer.Buffer.buffer(content),
            uploader.id(), tenant).addValue(number))).await();
  }
}
