package dev.otklik.store;

import dev.otklik.core.OtklikException;
import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.store.MassNotice.Audience;
import dev.otklik.store.MassNotice.Kind;
import dev.otklik.store.MassNotice.Received;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Mass notices: one notice to every customer of a tenant, or to the customers of chosen
 * organisations. Publishing writes the notice and a recipient row per customer account in one
 * transaction; each row starts {@code pending} for the mail dispatcher and unread for the
 * portal. A notice is never edited after it is published.
 */
public final class MassNoticeStore {

  /** What a publisher gives. {@code organisationIds} is empty exactly when the audience is all customers. */
  public record NewNotice(Kind kind, LocalizedText title, LocalizedText body, Audience audience, List<UUID> organisationIds) {

    public NewNotice {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(audience, "audience");
      organisationIds = List.copyOf(new LinkedHashSet<>(organisationIds));
      if ((audience == Audience.ORGANISATIONS) == organisationIds.isEmpty()) {
        throw new IllegalArgumentException("organisations are named exactly when the audience is organisations");
      }
      if (title.en().isPresent() != body.en().isPresent()) {
        throw new IllegalArgumentException("an English title needs an English body and the other way round");
      }
    }
  }

  /** A customer's notices: one page, how many there are, and how many are still unread. */
  public record Inbox(List<Received> items, long total, long unread) {

    public Inbox {
      items = List.copyOf(items);
    }
  }

  private final TenantTransactions tx;
  private final Clock clock;
  private final NamedSql.Statement findOrganisations;
  private final NamedSql.Statement insertNotice;
  private final NamedSql.Statement insertOrganisations;
  private final NamedSql.Statement insertRecipients;
  private final NamedSql.Statement listForStaff;
  private final NamedSql.Statement listForRecipient;
  private final NamedSql.Statement markRead;

  /** @param clock the time notices are published and read at */
  public MassNoticeStore(TenantTransactions tx, Clock clock) {
    this.tx = tx;
    this.clock = Objects.requireNonNull(clock, "clock");
    NamedSql sql = NamedSql.load("mass_notice");
    this.findOrganisations = sql.get("find-organisations");
    this.insertNotice = sql.get("insert-notice");
    this.insertOrganisations = sql.get("insert-notice-organisations");
    this.insertRecipients = sql.get("insert-recipients");
    this.listForStaff = sql.get("list-for-staff");
    this.listForRecipient = sql.get("list-for-recipient");
    this.markRead = sql.get("mark-read");
  }

  /**
   * Publishes a notice and records its recipients: every enabled customer account of the tenant,
   * or of the named organisations, at this moment. Returns the notice as staff see it, with its
   * recipient count.
   *
   * <p>Fails with 400 {@code notice.organisation-unknown} when a named organisation is not the tenant's.
   *
   * @param publishedBy the user or API key publishing it
   */
  public Future<MassNotice> publish(String tenantId, UUID publishedBy, NewNotice notice) {
    UUID id = UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    UUID[] organisations = notice.organisationIds().toArray(UUID[]::new);
    return tx.inTenant(tenantId, conn -> requireOrganisations(conn, tenantId, organisations)
        .compose(ignored -> conn.preparedQuery(insertNotice.sql()).execute(insertNotice.tuple(Params.of(
            "id", id, "tenant_id", tenantId, "kind", notice.kind().code(),
            "title_ru", notice.title().ru(), "body_ru", notice.body().ru(),
            "title_en", notice.title().en().orElse(null), "body_en", notice.body().en().orElse(null),
            "audience", notice.audience().code(), "published_by", publishedBy, "published_at", now))))
        .compose(ignored -> recordAudience(conn, tenantId, id, notice.audience(), organisations, now))
        .compose(ignored -> staffView(conn, tenantId, id)));
  }

  /** Every notice of the tenant, newest first, as staff see them. */
  public Future<Page<MassNotice>> listForStaff(String tenantId, int offset, int limit) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(listForStaff.sql())
        .execute(staffList(tenantId, null, offset, limit))
        .map(rows -> Page.of(rows, MassNoticeStore::staffNotice)));
  }

  /** One notice as staff see it. */
  public Future<Optional<MassNotice>> findForStaff(String tenantId, UUID id) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(listForStaff.sql())
        .execute(staffList(tenantId, id, 0, 1))
        .map(rows -> Page.of(rows, MassNoticeStore::staffNotice).items().stream().findFirst()));
  }

  /** The notices addressed to one customer account, newest first, with their read state. */
  public Future<Inbox> inbox(String tenantId, UUID userId, int offset, int limit) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(listForRecipient.sql())
        .execute(recipientList(tenantId, userId, null, offset, limit))
        .map(rows -> {
          Page<Received> page = Page.of(rows, MassNoticeStore::received);
          return new Inbox(page.items(), page.total(), rows.iterator().next().getLong("unread"));
        }));
  }

  /** One notice as its recipient sees it; empty unless {@code userId} was told of it. */
  public Future<Optional<Received>> findReceived(String tenantId, UUID userId, UUID id) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(listForRecipient.sql())
        .execute(recipientList(tenantId, userId, id, 0, 1))
        .map(rows -> Page.of(rows, MassNoticeStore::received).items().stream().findFirst()));
  }

  /**
   * Marks a notice read by its recipient and returns when it was first read (marking again keeps
   * the first time). Empty when {@code userId} is not a recipient of the notice.
   */
  public Future<Optional<OffsetDateTime>> markRead(String tenantId, UUID userId, UUID noticeId) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(markRead.sql())
        .execute(markRead.tuple(Params.of("tenant_id", tenantId, "notice_id", noticeId, "user_id", userId, "now", now)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getOffsetDateTime("read_at"))));
  }

  private Future<Void> requireOrganisations(SqlConnection conn, String tenantId, UUID[] organisations) {
    if (organisations.length == 0) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(findOrganisations.sql())
        .execute(findOrganisations.tuple(Params.of("tenant_id", tenantId, "organisation_ids", organisations)))
        .compose(rows -> {
          Set<UUID> unknown = new LinkedHashSet<>(List.of(organisations));
          rows.forEach(row -> unknown.remove(row.getUUID("id")));
          return unknown.isEmpty()
              ? Future.succeededFuture()
              : Future.failedFuture(OtklikException.badRequest("notice.organisation-unknown", unknown.iterator().next()));
        });
  }

  private Future<Void> recordAudience(
      SqlConnection conn, String tenantId, UUID id, Audience audience, UUID[] organisations, OffsetDateTime now) {
    Future<?> targeted = organisations.length == 0
        ? Future.succeededFuture()
        : conn.preparedQuery(insertOrganisations.sql()).execute(insertOrganisations.tuple(Params.of(
            "tenant_id", tenantId, "notice_id", id, "organisation_ids", organisations)));
    return targeted.compose(ignored -> conn.preparedQuery(insertRecipients.sql()).execute(insertRecipients.tuple(Params.of(
            "tenant_id", tenantId, "notice_id", id, "created_at", now,
            "all_customers", audience == Audience.ALL_CUSTOMERS, "organisation_ids", organisations))))
        .mapEmpty();
  }

  private Future<MassNotice> staffView(SqlConnection conn, String tenantId, UUID id) {
    return conn.preparedQuery(listForStaff.sql())
        .execute(staffList(tenantId, id, 0, 1))
        .map(rows -> Page.of(rows, MassNoticeStore::staffNotice).items().get(0));
  }

  /** Parameters of list-for-staff; {@code id} null lists them all. */
  private Tuple staffList(String tenantId, UUID id, long offset, long limit) {
    return listForStaff.tuple(Params.of("tenant_id", tenantId, "id", id, "offset", offset, "limit", limit));
  }

  /** Parameters of list-for-recipient; {@code id} null lists them all. */
  private Tuple recipientList(String tenantId, UUID userId, UUID id, long offset, long limit) {
    return listForRecipient.tuple(Params.of(
        "tenant_id", tenantId, "user_id", userId, "id", id, "offset", offset, "limit", limit));
  }

  private static MassNotice staffNotice(Row row) {
    return new MassNotice(
        row.getUUID("id"), row.getString("tenant_id"), Kind.ofCode(row.getString("kind")),
        text(row, "title"), text(row, "body"), Audience.ofCode(row.getString("audience")),
        List.of(row.getArrayOfUUIDs("organisation_ids")), row.getUUID("published_by"),
        row.getOffsetDateTime("published_at"), row.getLong("recipient_count"), row.getLong("read_count"));
  }

  private static Received received(Row row) {
    return new Received(
        row.getUUID("id"), Kind.ofCode(row.getString("kind")), text(row, "title"), text(row, "body"),
        row.getOffsetDateTime("published_at"), row.getOffsetDateTime("read_at"));
  }

  private static LocalizedText text(Row row, String column) {
    return new LocalizedText(row.getString(column + "_ru"), Optional.ofNullable(row.getString(column + "_en")));
  }
}
