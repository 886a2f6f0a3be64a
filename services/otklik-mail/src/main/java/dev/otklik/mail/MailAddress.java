package dev.otklik.mail;

import java.net.IDN;
import java.util.Locale;
import java.util.Objects;

/**
 * One mailbox: address plus optional display name.
 *
 * <p>The domain is kept in Unicode ({@code help@цик-алекон.рф}) because that is what people read
 * and type; {@link #asciiAddress()} gives the IDNA (punycode) form used in SMTP envelopes and
 * headers, since neither vertx-mail-client nor many servers speak SMTPUTF8.
 *
 * @param address local part, '@', and the domain in Unicode (lower-cased)
 * @param displayName the decoded display name, or null
 */
public record MailAddress(String address, String displayName) {

  public MailAddress {
    Objects.requireNonNull(address, "address");
    address = unicodeForm(address.trim());
    if (displayName != null && displayName.isBlank()) {
      displayName = null;
    }
  }

  public static MailAddress of(String address) {
    return new MailAddress(address, null);
  }

  public String localPart() {
    int at = address.lastIndexOf('@');
    return at < 0 ? address : address.substring(0, at);
  }

  /** The domain in Unicode, or "" for an address without one. */
  public String domain() {
    int at = address.lastIndexOf('@');
    return at < 0 ? "" : address.substring(at + 1);
  }

  /** The domain in IDNA ASCII form ({@code xn--...}); unchanged when it is not a valid IDN. */
  public String asciiDomain() {
    return toAscii(domain());
  }

  /** The address with its domain in punycode, as SMTP and RFC 5322 headers need it. */
  public String asciiAddress() {
    String domain = domain();
    return domain.isEmpty() ? address : localPart() + "@" + toAscii(domain);
  }

  /** True when the local part has non-ASCII characters, which only an SMTPUTF8 path can deliver. */
  public boolean hasUnicodeLocalPart() {
    return !localPart().chars().allMatch(c -> c < 0x80);
  }

  public static String toAscii(String domain) {
    try {
      return IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException notAnIdn) {
      return domain;
    }
  }

  private static String unicodeForm(String address) {
    int at = address.lastIndexOf('@');
    if (at < 0) {
      return address;
    }
    String domain = address.substring(at + 1);
    String unicode;
    try {
      unicode = IDN.toUnicode(domain, IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException notAnIdn) {
      unicode = domain;
    }
    return address.substring(0, at + 1) + unicode.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return displayName == null ? address : displayName + " <" + address + ">";
  }
}
