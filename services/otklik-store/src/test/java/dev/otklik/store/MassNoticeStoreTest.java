package dev.otklik.store;

import static dev.otklik.store.TestFutures.problemOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.store.MassNotice.Audience;
import dev.otklik.store.MassNotice.Kind;
import dev.otklik.store.MassNoticeStore.NewNotice;
import dev.otklik.store.OrganisationStore.OrganisationDetails;
import dev.otklik.store.UserStore.NewUser;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MassNoticeStoreTest {

  private static final TenantTransactions tx = TestDatabase.transactions();
  private final TestClock clock = new TestClock(Instant.parse("2025-03-03T09:00:00Z"));
  private final MassNoticeStore notices = new MassNoticeStore(tx, clock);
  private static final UserStore users = new UserStore(tx);
  private static final OrganisationStore organisations = new OrganisationStore(tx);

  private static final NewNotice SECURITY_UPDATE = new NewNotice(Kind.SECURITY_UPDATE,
      LocalizedText.of("Обновление безопасности 4.2.1", "Security update 4.2.1"),
      LocalizedText.of("Установите обновление до пятницы.", "Install the update by Friday."),
      Audience.ALL_CUSTOMERS, List.of());

  private static UUID organisation(String tenant, String name) {
    return organisations.create(tenant, new OrganisationDetails(name, List.of(), null, null, null, null)).await().id();
  }

  private static UserAccount user(String tenant, String email, Role role, UUID organisationId) {
    return users.create(tenant, new NewUser(email, "Имя " + email, "ru", null, role, organisationId)).await();
  }

  /** (user id, organisation id, delivery state, read) of every recipient row, read past row-level security. */
  private static List<String> recipientRows(UUID noticeId) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement q = c.prepareStatement("SELECT user_id, organisation_id, delivery_state, read_at IS NOT NULL, "
            + "tenant_id FROM mass_notice_recipient WHERE notice_id = ? ORDER BY user_id")) {
      q.setObject(1, noticeId);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getString(5) + " " + rs.getObject(1) + " " + rs.getObject(2) + " " + rs.getString(3) + " " + rs.getBoolean(4));
        }
      }
    }
    return rows;
  }

  @Test
  @DisplayName("publishing to all customers records one pending, unread recipient row per enabled customer of the tenant and none of another tenant")
  void recipientsAreTheTenantsCustomers() throws Exception {
    String tenant = TestTenants.create(tx);
    String other = TestTenants.create(tx);
    UUID alfa = organisation(tenant, "Альфа");
    UUID beta = organisation(tenant, "Бета");
    UserAccount admin = user(tenant, "admin@vendor.ru", Role.TENANT_ADMIN, null);
    user(tenant, "agent@vendor.ru", Role.AGENT, null);
    UserAccount anna = user(tenant, "anna@alfa.ru", Role.CUSTOMER, alfa);
    UserAccount boris = user(tenant, "boris@beta.ru", Role.CUSTOMER, beta);
    UserAccount gone = user(tenant, "gone@beta.ru", Role.CUSTOMER, beta);
    tx.inTenant(tenant, conn -> conn.preparedQuery("UPDATE app_user SET enabled = false WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenant, gone.id()))).await();
    user(other, "stranger@other.ru", Role.CUSTOMER, organisation(other, "Чужая"));

    MassNotice notice = notices.publish(tenant, admin.id(), SECURITY_UPDATE).await();

    assertThat(notice.recipientCount()).isEqualTo(2);
    assertThat(notice.readCount()).isZero();
    assertThat(notice.audience()).isEqualTo(Audience.ALL_CUSTOMERS);
    assertThat(notice.publishedBy()).isEqualTo(admin.id());
    assertThat(notice.publishedAt().toInstant()).isEqualTo(Instant.parse("2025-03-03T09:00:00Z"));
    assertThat(notice.title().en()).contains("Security update 4.2.1");
    List<String> expected = new ArrayList<>(List.of(
        tenant + " " + anna.id() + " " + alfa + " pending false",
        tenant + " " + boris.id() + " " + beta + " pending false"));
    expected.sort(java.util.Comparator.comparing(s -> s.split(" ")[1]));
    assertThat(recipientRows(notice.id())).containsExactlyElementsOf(expected);
    assertThat(notices.listForStaff(other, 0, 10).await().total()).isZero();
  }

  @Test
  @DisplayName("a notice to chosen organisations reaches only their customers, and the others' inboxes stay empty")
  void organisationNoticeReachesOnlyItsCustomers() {
    String tenant = TestTenants.create(tx);
    UUID alfa = organisation(tenant, "Альфа");
    UUID beta = organisation(tenant, "Бета");
    UserAccount coordinator = user(tenant, "coord@vendor.ru", Role.COORDINATOR, null);
    UserAccount anna = user(tenant, "anna@alfa.ru", Role.CUSTOMER, alfa);
    UserAccount boris = user(tenant, "boris@beta.ru", Role.CUSTOMER, beta);

    MassNotice notice = notices.publish(tenant, coordinator.id(), new NewNotice(Kind.MAINTENANCE,
        LocalizedText.ru("Плановые работы"), LocalizedText.ru("В субботу с 22:00 до 23:00."),
        Audience.ORGANISATIONS, List.of(alfa))).await();

    assertThat(notice.organisationIds()).containsExactly(alfa);
    assertThat(notice.recipientCount()).isEqualTo(1);
    assertThat(notices.inbox(tenant, anna.id(), 0, 10).await().items()).extracting(MassNotice.Received::id)
        .containsExactly(notice.id());
    assertThat(notices.inbox(tenant, boris.id(), 0, 10).await().total()).isZero();
    assertThat(notices.findReceived(tenant, boris.id(), notice.id()).await()).isEmpty();
  }

  @Test
  @DisplayName("an organisation of another tenant cannot be addressed, and nothing is recorded when it is tried")
  void foreignOrganisationIsRefused() {
    String tenant = TestTenants.create(tx);
    String other = TestTenants.create(tx);
    UserAccount admin = user(tenant, "admin@vendor.ru", Role.TENANT_ADMIN, null);
    UUID foreign = organisation(other, "Чужая");

    var problem = problemOf(notices.publish(tenant, admin.id(), new NewNotice(Kind.NEWS,
        LocalizedText.ru("Новости"), LocalizedText.ru("Текст"), Audience.ORGANISATIONS, List.of(foreign))));

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.code()).isEqualTo("notice.organisation-unknown");
    assertThat(problem.args()).containsExactly(foreign);
    assertThat(notices.listForStaff(tenant, 0, 10).await().total()).isZero();
  }

  @Test
  @DisplayName("a recipient marks a notice read once: the first time is kept, the unread count drops, and a non-recipient cannot mark it")
  void markingReadKeepsTheFirstTime() {
    String tenant = TestTenants.create(tx);
    UUID alfa = organisation(tenant, "Альфа");
    UserAccount admin = user(tenant, "admin@vendor.ru", Role.TENANT_ADMIN, null);
    UserAccount anna = user(tenant, "anna@alfa.ru", Role.CUSTOMER, alfa);
    MassNotice notice = notices.publish(tenant, admin.id(), SECURITY_UPDATE).await();
    assertThat(notices.inbox(tenant, anna.id(), 0, 10).await().unread()).isEqualTo(1);

    clock.advance(Duration.ofHours(1));
    OffsetDateTime firstRead = notices.markRead(tenant, anna.id(), notice.id()).await().orElseThrow();
    clock.advance(Duration.ofHours(1));
    OffsetDateTime secondRead = notices.markRead(tenant, anna.id(), notice.id()).await().orElseThrow();

    assertThat(secondRead).isEqualTo(firstRead);
    assertThat(firstRead.toInstant()).isEqualTo(notice.publishedAt().toInstant().plus(Duration.ofHours(1)));
    assertThat(notices.inbox(tenant, anna.id(), 0, 10).await().unread()).isZero();
    assertThat(notices.findForStaff(tenant, notice.id()).await().orElseThrow().readCount()).isEqualTo(1);
    assertThat(notices.markRead(tenant, admin.id(), notice.id()).await()).isEmpty();
    assertThat(notices.findReceived(tenant, anna.id(), notice.id()).await().orElseThrow().readAt())
        .isEqualTo(firstRead.withOffsetSameInstant(ZoneOffset.UTC));
  }

  @Test
  @DisplayName("lists are newest first and paged, with the total of the whole list")
  void listsArePagedNewestFirst() {
    String tenant = TestTenants.create(tx);
    UserAccount admin = user(tenant, "admin@vendor.ru", Role.TENANT_ADMIN, null);
    UserAccount anna = user(tenant, "anna@alfa.ru", Role.CUSTOMER, organisation(tenant, "Альфа"));
    List<UUID> published = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMinutes(1));
      published.add(notices.publish(tenant, admin.id(), SECURITY_UPDATE).await().id());
    }

    var staffPage = notices.listForStaff(tenant, 1, 1).await();
    var inbox = notices.inbox(tenant, anna.id(), 0, 2).await();

    assertThat(staffPage.total()).isEqualTo(3);
    assertThat(staffPage.items()).extracting(MassNotice::id).containsExactly(published.get(1));
    assertThat(inbox.total()).isEqualTo(3);
    assertThat(inbox.items()).extracting(MassNotice.Received::id).containsExactly(published.get(2), published.get(1));
  }
}
