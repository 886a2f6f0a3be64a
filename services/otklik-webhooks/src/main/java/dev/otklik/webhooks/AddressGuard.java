package dev.otklik.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * SSRF protection for webhook URLs. A URL is checked after DNS resolution: every address the
 * host resolves to must be public, and the caller connects to the address checked here (never
 * resolving the name again), so a name that changes its answer between check and connect
 * (DNS rebinding) gains nothing. Refused: loopback (unless {@code allowLoopback}, for tests),
 * unspecified, private (10/8, 172.16/12, 192.168/16, fc00::/7), carrier-grade NAT (100.64/10),
 * link-local (169.254/16 with the cloud metadata address 169.254.169.254, fe80::/10), multicast,
 * reserved and benchmarking ranges, and IPv4-mapped or -compatible forms of any of them.
 * Blocking (DNS): call it off the event loop.
 */
public final class AddressGuard {

  /** Why a URL is refused; {@code code} is the problem code the API answers with. */
  public static final class Refused extends Exception {
    private final String code;

    public Refused(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** A checked target: the URI, and the address to connect to. */
  public record Target(URI uri, String host, int port, boolean ssl, String pathAndQuery, InetAddress address) {}

  /** Resolves names; tests may replace it. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final boolean allowLoopback;
  private final Resolver resolver;

  public AddressGuard(boolean allowLoopback) {
    this(allowLoopback, InetAddress::getAllByName);
  }

  public AddressGuard(boolean allowLoopback, Resolver resolver) {
    this.allowLoopback = allowLoopback;
    this.resolver = resolver;
  }

  public boolean allowLoopback() {
    return allowLoopback;
  }

  /** Checks the form of a URL without resolving it: absolute http(s), a host, no user info or fragment. */
  public static URI parse(String url) throws Refused {
    if (url == null || url.isBlank() || url.length() > 2000) {
      throw new Refused("webhook.url-invalid", "the URL is missing or longer than 2000 characters");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new Refused("webhook.url-invalid", "not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Refused("webhook.url-invalid", "only http and https URLs can receive webhooks");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw new Refused("webhook.url-invalid", "the URL needs a host and no user info or fragment");
    }
    return uri;
  }

  /** Parses, resolves and checks a URL; the target carries the address to connect to. */
  public Target check(String url) throws Refused {
    URI uri = parse(url);
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new Refused("webhook.url-unresolvable", "the host " + host + " does not resolve");
    }
    if (addresses == null || addresses.length == 0) {
      throw new Refused("webhook.url-unresolvable", "the host " + host + " does not resolve");
    }
    for (InetAddress a : addresses) {
      String why = forbidden(a);
      if (why != null) {
        throw new Refused("webhook.url-forbidden", host + " resolves to " + a.getHostAddress() + " (" + why + ")");
      }
    }
    boolean ssl = uri.getScheme().equalsIgnoreCase("https");
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path = path + "?" + uri.getRawQuery();
    }
    return new Target(uri, host, port, ssl, path, addresses[0]);
  }

  /** Why an address may not receive webhooks, or null if it may. */
  String forbidden(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return allowLoopback ? null : "loopback";
    }
    if (a instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      boolean mapped = true;
      boolean compatible = true;
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
        compatible &= b[i] == 0;
      }
      mapped &= b[10] == (byte) 0xff && b[11] == (byte) 0xff;
      compatible &= b[10] == 0 && b[11] == 0;
      if (mapped || compatible) {
        try {
          return forbidden(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException impossible) {
          return "unparseable";
        }
      }
      if ((b[0] & 0xfe) == 0xfc) {
        return "unique local";
      }
    }
    if (a.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (a.isLinkLocalAddress()) {
      return "link-local or metadata";
    }
    if (a.isSiteLocalAddress()) {
      return "private";
    }
    if (a.isMulticastAddress()) {
      return "multicast";
    }
    if (a instanceof Inet4Address) {
      int b0 = a.getAddress()[0] & 0xff;
      int b1 = a.getAddress()[1] & 0xff;
      int b2 = a.getAddress()[2] & 0xff;
      if (b0 == 0) {
        return "this network";
      }
      if (b0 == 100 && b1 >= 64 && b1 <= 127) {
        return "carrier-grade NAT";
      }
      if (b0 == 192 && b1 == 0 && b2 == 0) {
        return "IETF protocol assignments";
      }
      if (b0 == 198 && (b1 == 18 || b1 == 19)) {
        return "benchmarking";
      }
      if (b0 >= 240) {
        return "reserved";
      }
    }
    return null;
  }
}
