package dev.otklik.tenant;

import dev.otklik.core.tenant.Channel;
import dev.otklik.core.tenant.ChannelType;
import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.EmailIntake;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.UnregisteredSenderAction;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Contact channels are usable: addresses look like what their type says, some channel takes
 * requests, and mail from unregistered senders has somewhere to go.
 */
final class ChannelCheck implements TenantCheck {

  // Loose on purpose: a person reads these; they only must not be the wrong kind of address.
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ()-]{4,}[0-9]");
  private static final Pattern URL_OR_PATH = Pattern.compile("https?://\\S+|/\\S*");

  private static final Map<ChannelType, Pattern> ADDRESS_FORMATS = Map.of(
      ChannelType.EMAIL, EMAIL,
      ChannelType.PHONE, PHONE,
      ChannelType.HOTLINE, PHONE,
      ChannelType.PORTAL, URL_OR_PATH);

  @Override
  public void check(TenantConfig config, Context context) {
    for (Located<Channel> channel : Located.each(config.channels(), "/channels")) {
      Pattern format = ADDRESS_FORMATS.get(channel.value().type());
      String address = channel.value().address();
      if (format != null && !format.matcher(address).matches()) {
        context.problem(channel.pointer() + "/address", "\"" + address + "\" is not a valid "
            + ConfigId.of(channel.value().type()) + " address");
      }
    }
    if (config.channels().stream().noneMatch(Channel::acceptsRequests)) {
      context.problem("/channels", "no channel accepts requests; set accepts-requests: true on at least one");
    }
    forwardTargetMatchesAction(config.intake().email(), context);
    mailbox(config.intake().email(), context);
  }

  private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

  /** The support mailbox, when given, is an e-mail address; its password comes from a named variable. */
  private static void mailbox(EmailIntake email, Context context) {
    email.address().filter(a -> !EMAIL.matcher(a).matches()).ifPresent(a ->
        context.problem("/intake/email/address", "\"" + a + "\" is not a valid email address"));
    email.mailboxPasswordEnv().filter(e -> !ENV_NAME.matcher(e).matches()).ifPresent(e ->
        context.problem("/intake/email/mailbox-password-env",
            "\"" + e + "\" is not an environment variable name (A-Z, 0-9 and _, starting with a letter)"));
  }

  private static void forwardTargetMatchesAction(EmailIntake email, Context context) {
    boolean forwards = email.unregisteredSender() == UnregisteredSenderAction.FORWARD;
    if (forwards && email.forwardTo().isEmpty()) {
      context.problem("/intake/email/forward-to", "is required when unregistered-sender is forward");
    } else if (!forwards && email.forwardTo().isPresent()) {
      context.problem("/intake/email/forward-to", "must be omitted unless unregistered-sender is forward");
    }
  }
}
