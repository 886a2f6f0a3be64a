package dev.otklik.core.tenant;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One vendor's support-desk configuration, as read from {@code tenant-config/<id>.yaml}.
 * Immutable; optional parts are {@link Optional} and absent lists are empty.
 *
 * @param id lower-case kebab id, used in URLs
 * @param enabled false: loaded, but hidden and refusing logins
 * @param requestNumberPrefix prefix of request numbers ({@code ASMO-2026-000123})
 * @param notifications message templates keyed by event id, in file order
 * @param webhooks webhook endpoints declared in the file (secrets by environment variable)
 * @param signIn how people sign in: passwords, a required second factor, OpenID Connect providers
 * @param satisfaction the survey sent on closing, when the tenant runs one
 */
public record TenantConfig(
    String id,
    boolean enabled,
    String requestNumberPrefix,
    Language defaultLocale,
    Identity identity,
    Branding branding,
    List<Channel> channels,
    CalendarSpec calendar,
    Taxonomy taxonomy,
    Optional<RequestForm> requestForm,
    List<CatalogueNode> catalogue,
    SlaPolicy sla,
    Workflow workflow,
    Intake intake,
    Optional<ContractTerms> contract,
    List<Release> releases,
    List<LibraryEntry> library,
    Map<String, NotificationTemplate> notifications,
    List<WebhookSpec> webhooks,
    SignIn signIn,
    Optional<Satisfaction> satisfaction) {

  /** With default sign-in and no survey. */
  public TenantConfig(String id, boolean enabled, String requestNumberPrefix, Language defaultLocale,
      Identity identity, Branding branding, List<Channel> channels, CalendarSpec calendar, Taxonomy taxonomy,
      Optional<RequestForm> requestForm, List<CatalogueNode> catalogue, SlaPolicy sla, Workflow workflow,
      Intake intake, Optional<ContractTerms> contract, List<Release> releases, List<LibraryEntry> library,
      Map<String, NotificationTemplate> notifications, List<WebhookSpec> webhooks) {
    this(id, enabled, requestNumberPrefix, defaultLocale, identity, branding, channels, calendar, taxonomy,
        requestForm, catalogue, sla, workflow, intake, contract, releases, library, notifications, webhooks,
        SignIn.DEFAULT, Optional.empty());
  }

  /** Without webhooks. */
  public TenantConfig(String id, boolean enabled, String requestNumberPrefix, Language defaultLocale,
      Identity identity, Branding branding, List<Channel> channels, CalendarSpec calendar, Taxonomy taxonomy,
      Optional<RequestForm> requestForm, List<CatalogueNode> catalogue, SlaPolicy sla, Workflow workflow,
      Intake intake, Optional<ContractTerms> contract, List<Release> releases, List<LibraryEntry> library,
      Map<String, NotificationTemplate> notifications) {
    this(id, enabled, requestNumberPrefix, defaultLocale, identity, branding, channels, calendar, taxonomy,
        requestForm, catalogue, sla, workflow, intake, contract, releases, library, notifications, List.of());
  }

  public TenantConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(requestNumberPrefix, "requestNumberPrefix");
    Objects.requireNonNull(defaultLocale, "defaultLocale");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(branding, "branding");
    channels = List.copyOf(channels);
    Objects.requireNonNull(calendar, "calendar");
    Objects.requireNonNull(taxonomy, "taxonomy");
    Objects.requireNonNull(requestForm, "requestForm");
    catalogue = List.copyOf(catalogue);
    Objects.requireNonNull(sla, "sla");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(intake, "intake");
    Objects.requireNonNull(contract, "contract");
    releases = List.copyOf(releases);
    library = List.copyOf(library);
    notifications = ImmutableCopies.orderedMap(notifications);
    webhooks = List.copyOf(webhooks);
    Objects.requireNonNull(signIn, "signIn");
    Objects.requireNonNull(satisfaction, "satisfaction");
  }

  /** The catalogue node with this id, searched through the whole tree. */
  public Optional<CatalogueNode> catalogueNode(String nodeId) {
    return CatalogueNode.walk(catalogue).filter(node -> node.id().equals(nodeId)).findFirst();
  }

  /** The channel with this id. */
  public Optional<Channel> channel(String channelId) {
    return channels.stream().filter(channel -> channel.id().equals(channelId)).findFirst();
  }
}
