package dev.otklik.tenant;

import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.WebhookSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Webhook endpoints in config: ids unique, events known, an absolute http(s) URL without user
 * info, and the secret named by an environment variable (a literal secret has no key to go in:
 * the binder refuses {@code secret}). Whether the URL's host is public is checked where DNS is
 * resolved: by the dispatcher before every delivery.
 */
final class WebhookCheck implements TenantCheck {

  private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Set<String> EVENTS = Set.copyOf(WebhookSpec.EVENT_TYPES);

  @Override
  public void check(TenantConfig config, Context context) {
    Map<String, String> seen = new HashMap<>();
    for (Located<WebhookSpec> hook : Located.each(config.webhooks(), "/webhooks")) {
      WebhookSpec w = hook.value();
      String first = seen.putIfAbsent(w.id(), hook.pointer());
      if (first != null) {
        context.problem(hook.pointer() + "/id", "duplicate webhook id \"" + w.id() + "\" (first at " + first + ")");
      }
      url(w.url(), hook.pointer() + "/url", context);
      if (w.events().isEmpty()) {
        context.problem(hook.pointer() + "/events", "list at least one event type, or *");
      }
      for (int i = 0; i < w.events().size(); i++) {
        String e = w.events().get(i);
        if (!"*".equals(e) && !EVENTS.contains(e)) {
          context.problem(hook.pointer() + "/events/" + i, "unknown event type \"" + e + "\"; use * or one of "
              + String.join(", ", WebhookSpec.EVENT_TYPES));
        }
      }
      if (!ENV_NAME.matcher(w.secretEnv()).matches()) {
        context.problem(hook.pointer() + "/secret-env", "\"" + w.secretEnv()
            + "\" is not an environment variable name (A-Z, 0-9 and _, starting with a letter)");
      }
    }
  }

  private static void url(String url, String pointer, Context context) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null) {
        context.problem(pointer, "\"" + url + "\" is not an absolute http(s) URL without user info");
      }
    } catch (URISyntaxException e) {
      context.problem(pointer, "\"" + url + "\" is not a URL");
    }
  }
}
