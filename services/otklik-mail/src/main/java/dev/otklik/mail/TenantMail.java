package dev.otklik.mail;

import dev.otklik.core.tenant.Channel;
import dev.otklik.core.tenant.ChannelType;
import dev.otklik.core.tenant.EmailIntake;
import dev.otklik.core.tenant.Language;
import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.core.tenant.NotificationTemplate;
import dev.otklik.core.tenant.TenantConfig;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What mail needs of a tenant's configuration: its sender (and support mailbox) address, brand,
 * language, request numbers, intake rules and notification templates.
 *
 * <p>The sender (and support mailbox) is {@code intake.email.address}, else the tenant's first
 * e-mail channel ({@code channels[type = email]}). A tenant
 * without one (ИМЦ's file has its mailbox still to be filled in) sends as
 * {@code support@<first host name>}, else {@code support@<id>.otklik.local}, so Message-IDs
 * always carry a domain of the tenant.
 */
public record TenantMail(
    String tenantId,
    MailAddress sender,
    Language language,
    LocalizedText name,
    String primaryColor,
    String numberPrefix,
    ZoneId zone,
    EmailIntake intake,
    Map<String, NotificationTemplate> templates) {

  public TenantMail {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(sender, "sender");
    templates = Map.copyOf(templates);
  }

  public static TenantMail of(TenantConfig c) {
    String address = c.intake().email().address().orElseGet(() -> c.channels().stream()
        .filter(ch -> ch.type() == ChannelType.EMAIL).map(Channel::address).filter(a -> a.contains("@")).findFirst()
        .orElseGet(() -> "support@" + c.branding().hostNames().stream().findFirst().orElse(c.id() + ".otklik.local")));
    LocalizedText name = c.identity().name();
    return new TenantMail(c.id(), new MailAddress(address, name.in(c.defaultLocale())), c.defaultLocale(), name,
        c.branding().primaryColor(), c.requestNumberPrefix(), c.calendar().timeZone(), c.intake().email(),
        c.notifications());
  }

  /** The tenant's template for {@code event}, if its file has one. */
  public Optional<NotificationTemplate> template(String event) {
    return Optional.ofNullable(templates.get(event));
  }

  /** A person's language from their account's locale, else the tenant's. */
  public Language languageOf(String locale) {
    if (locale == null) {
      return language;
    }
    return locale.toLowerCase(java.util.Locale.ROOT).startsWith("en") ? Language.EN
        : locale.toLowerCase(java.util.Locale.ROOT).startsWith("ru") ? Language.RU : language;
  }
}
