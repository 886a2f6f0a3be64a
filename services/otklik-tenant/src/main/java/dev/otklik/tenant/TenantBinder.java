package dev.otklik.tenant;

import static dev.otklik.tenant.CommonReaders.duration;
import static dev.otklik.tenant.CommonReaders.optionalDuration;
import static dev.otklik.tenant.CommonReaders.optionalText;
import static dev.otklik.tenant.CommonReaders.text;
import static dev.otklik.tenant.CommonReaders.vocabulary;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otklik.core.tenant.Branding;
import dev.otklik.core.tenant.CalendarSpec;
import dev.otklik.core.tenant.CatalogueNode;
import dev.otklik.core.tenant.Channel;
import dev.otklik.core.tenant.ChannelHours;
import dev.otklik.core.tenant.ChannelRole;
import dev.otklik.core.tenant.ChannelType;
import dev.otklik.core.tenant.ContractTerms;
import dev.otklik.core.tenant.CustomerObligation;
import dev.otklik.core.tenant.EmailIntake;
import dev.otklik.core.tenant.FieldType;
import dev.otklik.core.tenant.FormField;
import dev.otklik.core.tenant.ForwardTarget;
import dev.otklik.core.tenant.Identity;
import dev.otklik.core.tenant.Intake;
import dev.otklik.core.tenant.Language;
import dev.otklik.core.tenant.LibraryEntry;
import dev.otklik.core.tenant.LibraryKind;
import dev.otklik.core.tenant.NotificationTemplate;
import dev.otklik.core.tenant.ObligationTrigger;
import dev.otklik.core.tenant.PhoneIntake;
import dev.otklik.core.tenant.Release;
import dev.otklik.core.tenant.ReleaseType;
import dev.otklik.core.tenant.RequestField;
import dev.otklik.core.tenant.RequestForm;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.SlaPolicy;
import dev.otklik.core.tenant.Taxonomy;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.TimeWindow;
import dev.otklik.core.tenant.UnregisteredSenderAction;
import dev.otklik.core.tenant.WebhookSpec;
import dev.otklik.core.tenant.Audience;
import dev.otklik.core.tenant.OidcProvider;
import dev.otklik.core.tenant.Satisfaction;
import dev.otklik.core.tenant.SignIn;
import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.Workflow;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds a tenant file's tree to {@link TenantConfig} by hand, key by key, so the records stay
 * free of Jackson and every key the binder does not read is refused with its path.
 */
final class TenantBinder {

  /** The bound configuration, or empty when the tree had problems (all recorded). */
  static Optional<TenantConfig> bind(JsonNode tree, Problems problems) {
    return ConfigNode.root(tree, problems)
        .attempt(root -> root.asObject(TenantBinder::tenant))
        .filter(config -> problems.isEmpty());
  }

  // Each section is read on its own so that one bad section does not hide problems in the next.
  private static TenantConfig tenant(ConfigNode n) {
    Optional<String> id = n.attempt(c -> c.text("id"));
    Optional<Boolean> enabled = n.attempt(c -> c.flag("enabled", true));
    Optional<String> prefix = n.attempt(c -> c.text("request-number-prefix"));
    Optional<Language> locale = n.attempt(c -> c.parse("default-locale", vocabulary(Language.class)));
    Optional<Identity> identity = n.attempt(c -> c.object("identity", TenantBinder::identity));
    Optional<Branding> branding = n.attempt(c -> c.object("branding", TenantBinder::branding));
    Optional<List<Channel>> channels = n.attempt(c -> c.get("channels").required().asList(TenantBinder::channel));
    Optional<CalendarSpec> calendar = n.attempt(c -> c.object("calendar", TenantBinder::calendar));
    Optional<Taxonomy> taxonomy = n.attempt(c -> c.optional("taxonomy", t -> t.asObject(TenantBinder::taxonomy))
        .orElseGet(() -> new Taxonomy(List.of(), List.of(), List.of(), List.of(), Taxonomy.DEFAULT_REQUIRED_FIELDS)));
    Optional<Optional<RequestForm>> form = n.attempt(c -> c.optional("request-form", f -> f.asObject(TenantBinder::requestForm)));
    Optional<List<CatalogueNode>> catalogue = n.attempt(c -> c.list("catalogue", TenantBinder::catalogueNode));
    Optional<SlaPolicy> sla = n.attempt(c -> c.object("sla", SlaBinder::policy));
    Optional<Workflow> workflow = n.attempt(c -> c.object("workflow", SlaBinder::workflow));
    Optional<Intake> intake = n.attempt(c -> c.object("intake", TenantBinder::intake));
    Optional<Optional<ContractTerms>> contract = n.attempt(c -> c.optional("contract", t -> t.asObject(TenantBinder::contract)));
    Optional<List<Release>> releases = n.attempt(c -> c.list("releases", TenantBinder::release));
    Optional<List<LibraryEntry>> library = n.attempt(c -> c.list("library", TenantBinder::libraryEntry));
    Optional<Map<String, NotificationTemplate>> notifications =
        n.attempt(c -> c.optional("notifications", t -> t.asMap(TenantBinder::notification)).orElse(Map.of()));
    Optional<List<WebhookSpec>> webhooks = n.attempt(c -> c.list("webhooks", TenantBinder::webhook));
    Optional<SignIn> signIn = n.attempt(c -> c.optional("sign-in", s -> s.asObject(TenantBinder::signIn))
        .orElse(SignIn.DEFAULT));
    Optional<Optional<Satisfaction>> satisfaction =
        n.attempt(c -> c.optional("satisfaction", s -> s.asObject(TenantBinder::satisfaction)));
    if (List.of(id, enabled, prefix, locale, identity, branding, channels, calendar, taxonomy, form,
        catalogue, sla, workflow, intake, contract, releases, library, notifications, webhooks, signIn, satisfaction)
        .contains(Optional.empty())) {
      throw new ConfigNode.Invalid();
    }
    return new TenantConfig(id.get(), enabled.get(), prefix.get(), locale.get(), identity.get(),
        branding.get(), channels.get(), calendar.get(), taxonomy.get(), form.get(), catalogue.get(),
        sla.get(), workflow.get(), intake.get(), contract.get(), releases.get(), library.get(),
        notifications.get(), webhooks.get(), signIn.get(), satisfaction.get());
  }

  private static SignIn signIn(ConfigNode n) {
    return new SignIn(
        n.optional("password", p -> p.asList(a -> a.as(vocabulary(Audience.class))))
            .map(Set::copyOf).orElse(SignIn.DEFAULT.password()),
        Set.copyOf(n.list("two-factor-required-for", r -> r.as(vocabulary(Role.class)))),
        n.list("oidc", TenantBinder::oidcProvider));
  }

  private static OidcProvider oidcProvider(ConfigNode node) {
    return node.asObject(n -> new OidcProvider(
        n.text("id"),
        text(n, "label"),
        Set.copyOf(n.get("for").required().asList(a -> a.as(vocabulary(Audience.class)))),
        n.text("issuer"),
        n.text("client-id"),
        n.text("client-secret-env"),
        n.optional("scopes", s -> s.asList(ConfigNode::asText)).orElse(List.of("openid", "email", "profile")),
        n.optional("jwks-uri", ConfigNode::asText),
        n.optional("email-claim", ConfigNode::asText).orElse("email"),
        n.optional("role-claim", ConfigNode::asText),
        n.optional("roles", r -> r.asMap(v -> v.as(vocabulary(Role.class)))).orElse(Map.of()),
        n.optional("default-role", r -> r.as(vocabulary(Role.class))),
        n.optional("organisation-claim", ConfigNode::asText)));
  }

  private static Satisfaction satisfaction(ConfigNode n) {
    return new Satisfaction(
        n.flag("enabled", true),
        Duration.ofDays(n.optional("link-valid-days", ConfigNode::asInt).orElse(14)),
        optionalText(n, "question"));
  }

  private static WebhookSpec webhook(ConfigNode node) {
    return node.asObject(n -> new WebhookSpec(
        n.text("id"),
        n.text("url"),
        n.list("events", ConfigNode::asText),
        n.text("secret-env"),
        n.flag("enabled", true),
        n.optional("description", ConfigNode::asText)));
  }

  private static Identity identity(ConfigNode n) {
    return new Identity(text(n, "name"), text(n, "vendor"), optionalText(n, "product"),
        n.optional("source-document", ConfigNode::asText));
  }

  private static Branding branding(ConfigNode n) {
    return new Branding(n.text("primary-color"), n.text("accent-color"),
        n.optional("logo", ConfigNode::asText), n.list("host-names", ConfigNode::asText));
  }

  private static Channel channel(ConfigNode node) {
    return node.asObject(n -> new Channel(
        n.text("id"),
        n.parse("type", vocabulary(ChannelType.class)),
        n.parse("role", vocabulary(ChannelRole.class)),
        n.text("address"),
        text(n, "label"),
        n.parse("hours", vocabulary(ChannelHours.class)),
        n.get("accepts-requests").required().asBoolean()));
  }

  private static CalendarSpec calendar(ConfigNode n) {
    return new CalendarSpec(
        n.parse("time-zone", TenantBinder::zone),
        n.optional("production-calendar", ConfigNode::asText),
        n.flag("always-open", false),
        n.optional("weekly-hours", h -> h.asObject(TenantBinder::weeklyHours)).orElse(Map.of()),
        n.list("transferred-working-day-hours", TenantBinder::window),
        n.optional("shortened-day-reduction", r -> r.as(TenantBinder::clockDuration)).orElse(Duration.ZERO));
  }

  private static ZoneId zone(String id) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone \"" + id + "\"; use an IANA id such as Europe/Moscow", e);
    }
  }

  private static Map<DayOfWeek, List<TimeWindow>> weeklyHours(ConfigNode n) {
    Map<DayOfWeek, List<TimeWindow>> hours = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek day : DayOfWeek.values()) {
      n.optional(Weekdays.key(day), windows -> windows.asList(TenantBinder::window))
          .ifPresent(windows -> hours.put(day, windows));
    }
    return hours;
  }

  private static TimeWindow window(ConfigNode node) {
    return node.as(TimeWindow::parse);
  }

  private static Duration clockDuration(String text) {
    SlaDuration duration = SlaDuration.parse(text);
    if (!duration.unit().isClockTime()) {
      throw new IllegalArgumentException(
          "must be in clock-minutes or clock-hours, got \"" + text + "\"");
    }
    return duration.toClockDuration();
  }

  private static Taxonomy taxonomy(ConfigNode n) {
    return new Taxonomy(
        n.list("kinds", CommonReaders::item),
        n.list("categories", CommonReaders::item),
        n.list("priorities", CommonReaders::item),
        n.list("severities", CommonReaders::item),
        n.optional("required-fields", f -> Set.copyOf(f.asList(e -> e.as(vocabulary(RequestField.class)))))
            .orElse(Taxonomy.DEFAULT_REQUIRED_FIELDS));
  }

  private static RequestForm requestForm(ConfigNode n) {
    return new RequestForm(text(n, "name"), optionalDuration(n, "required-within"),
        n.get("fields").required().asList(TenantBinder::formField));
  }

  private static FormField formField(ConfigNode node) {
    return node.asObject(n -> new FormField(
        n.text("id"),
        text(n, "label"),
        n.parse("type", vocabulary(FieldType.class)),
        n.flag("required", false),
        n.list("options", CommonReaders::item)));
  }

  private static CatalogueNode catalogueNode(ConfigNode node) {
    return node.asObject(n -> new CatalogueNode(
        n.text("id"),
        n.optional("number", ConfigNode::asText),
        text(n, "name"),
        optionalText(n, "description"),
        n.flag("requestable", true),
        n.list("children", TenantBinder::catalogueNode)));
  }

  private static Intake intake(ConfigNode n) {
    return new Intake(
        n.object("email", e -> new EmailIntake(
            e.parse("unregistered-sender", vocabulary(UnregisteredSenderAction.class)),
            e.optional("forward-to", f -> f.as(vocabulary(ForwardTarget.class))),
            e.optional("address", ConfigNode::asText),
            e.optional("mailbox-password-env", ConfigNode::asText))),
        n.optional("phone", p -> p.asObject(phone -> new PhoneIntake(optionalDuration(phone, "callback-within")))),
        n.list("customer-obligations", TenantBinder::obligation));
  }

  private static CustomerObligation obligation(ConfigNode node) {
    return node.asObject(n -> new CustomerObligation(
        n.text("id"),
        text(n, "description"),
        duration(n, "within"),
        n.parse("starts-on", vocabulary(ObligationTrigger.class))));
  }

  private static ContractTerms contract(ConfigNode n) {
    return new ContractTerms(optionalDuration(n, "free-support"), optionalDuration(n, "warranty-max"));
  }

  private static Release release(ConfigNode node) {
    return node.asObject(n -> new Release(
        n.text("id"),
        n.parse("type", vocabulary(ReleaseType.class)),
        n.parse("date", CommonReaders::date),
        optionalText(n, "name")));
  }

  private static LibraryEntry libraryEntry(ConfigNode node) {
    return node.asObject(n -> new LibraryEntry(
        n.text("id"), text(n, "title"), n.text("url"), n.parse("kind", vocabulary(LibraryKind.class))));
  }

  private static NotificationTemplate notification(ConfigNode node) {
    return node.asObject(n -> new NotificationTemplate(text(n, "subject"), text(n, "text"), optionalText(n, "html")));
  }

  private TenantBinder() {}
}
