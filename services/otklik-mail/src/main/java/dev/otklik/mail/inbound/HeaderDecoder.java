package dev.otklik.mail.inbound;

import dev.otklik.mail.MailAddress;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes header values as real clients write them, not only as RFC 2047 says.
 *
 * <p>Input is the raw value as Angus Mail reads it without {@code mail.mime.allowutf8}: each char
 * is one byte. Tolerated breakage: unencoded 8-bit text (charset guessed), encoded words inside
 * quotes or words, a multi-byte character split across two encoded words (adjacent words of one
 * charset are joined as bytes before decoding), wrong charset labels, missing Base64 padding.
 */
final class HeaderDecoder {

  private static final Pattern ENCODED_WORD =
      Pattern.compile("=\\?([^?\\s]+)\\?([bBqQ])\\?([^?]*)\\?=");
  private static final Pattern FOLD = Pattern.compile("\\r?\\n(?=[ \\t])");
  private static final Pattern MESSAGE_ID = Pattern.compile("<([^<>\\s]+)>");

  private HeaderDecoder() {}

  static String unfold(String raw) {
    return raw == null ? null : FOLD.matcher(raw).replaceAll("");
  }

  /** The decoded, unfolded, trimmed value; null stays null. */
  static String decode(String raw) {
    if (raw == null) {
      return null;
    }
    String value = unfold(raw);
    StringBuilder out = new StringBuilder();
    Matcher m = ENCODED_WORD.matcher(value);
    int last = 0;
    String pendingCharset = null;
    ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
    while (m.find()) {
      String between = value.substring(last, m.start());
      String charset = m.group(1);
      int star = charset.indexOf('*'); // RFC 2231 language suffix: UTF-8*ru
      if (star >= 0) {
        charset = charset.substring(0, star);
      }
      boolean adjacent = pendingCharset != null && between.isBlank();
      if (!adjacent || !pendingCharset.equalsIgnoreCase(charset)) {
        flush(out, pendingBytes, pendingCharset);
        pendingCharset = null;
        if (!adjacent) {
          out.append(decodeRaw(between));
        }
      }
      byte[] bytes = m.group(2).equalsIgnoreCase("B") ? base64(m.group(3)) : quotedPrintable(m.group(3));
      if (bytes == null) {
        flush(out, pendingBytes, pendingCharset);
        pendingCharset = null;
        out.append(m.group());
      } else {
        pendingCharset = charset;
        pendingBytes.writeBytes(bytes);
      }
      last = m.end();
    }
    flush(out, pendingBytes, pendingCharset);
    out.append(decodeRaw(value.substring(last)));
    return out.toString().trim();
  }

  /** Message ids without angle brackets, in order; a bare id without brackets is accepted too. */
  static List<String> messageIds(String raw) {
    List<String> ids = new ArrayList<>();
    if (raw == null) {
      return ids;
    }
    String value = unfold(raw);
    Matcher m = MESSAGE_ID.matcher(value);
    while (m.find()) {
      if (!ids.contains(m.group(1))) {
        ids.add(m.group(1));
      }
    }
    if (ids.isEmpty() && !value.isBlank() && !value.trim().contains(" ")) {
      ids.add(value.trim());
    }
    return ids;
  }

  /** Splits an address-list header; tolerant of groups, comments, quotes and encoded names. */
  static List<MailAddress> addresses(String raw) {
    List<MailAddress> result = new ArrayList<>();
    if (raw == null) {
      return result;
    }
    for (String piece : splitTopLevel(unfold(raw))) {
      MailAddress address = address(piece.trim());
      if (address != null) {
        result.add(address);
      }
    }
    return result;
  }

  private static MailAddress address(String piece) {
    int lt = piece.lastIndexOf('<');
    int gt = piece.lastIndexOf('>');
    String address;
    String name;
    if (lt >= 0 && gt > lt) {
      address = piece.substring(lt + 1, gt);
      name = piece.substring(0, lt);
      int colon = name.indexOf(':'); // "Group: Name <a@b>"
      if (colon >= 0 && !name.trim().startsWith("\"")) {
        name = name.substring(colon + 1);
      }
    } else {
      int open = piece.indexOf('(');
      int close = piece.lastIndexOf(')');
      name = open >= 0 && close > open ? piece.substring(open + 1, close) : null;
      address = open >= 0 ? piece.substring(0, open) : piece;
      int colon = address.indexOf(':');
      if (colon >= 0 && colon < address.indexOf('@')) {
        address = address.substring(colon + 1);
      }
    }
    address = decodeRaw(address.replace(";", "").trim());
    if (address.isEmpty() || address.endsWith(":")) {
      return null;
    }
    return new MailAddress(address, name == null ? null : decode(unquote(name.trim())));
  }

  private static String unquote(String name) {
    if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
      return name.substring(1, name.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return name;
  }

  private static List<String> splitTopLevel(String value) {
    List<String> pieces = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    int angle = 0;
    int paren = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && quoted && i + 1 < value.length()) {
        current.append(c).append(value.charAt(++i));
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted) {
        if (c == '<') angle++;
        else if (c == '>') angle = Math.max(0, angle - 1);
        else if (c == '(') paren++;
        else if (c == ')') paren = Math.max(0, paren - 1);
        else if (c == ',' && angle == 0 && paren == 0) {
          pieces.add(current.toString());
          current.setLength(0);
          continue;
        }
      }
      current.append(c);
    }
    pieces.add(current.toString());
    return pieces;
  }

  /** Raw header text: chars below 256 are bytes from the wire, so 8-bit runs get a charset guess. */
  static String decodeRaw(String text) {
    boolean eightBit = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c > 0xFF) {
        return text; // already Unicode (SMTPUTF8 header read as UTF-8)
      }
      eightBit |= c >= 0x80;
    }
    if (!eightBit) {
      return text;
    }
    byte[] bytes = new byte[text.length()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) text.charAt(i);
    }
    return CyrillicCharsetGuesser.decode(bytes, null).text();
  }

  private static void flush(StringBuilder out, ByteArrayOutputStream bytes, String charset) {
    if (charset != null && bytes.size() > 0) {
      out.append(CyrillicCharsetGuesser.decode(bytes.toByteArray(), charset).text());
    }
    bytes.reset();
  }

  private static byte[] base64(String text) {
    String cleaned = text.replaceAll("[^A-Za-z0-9+/]", "");
    int rest = cleaned.length() % 4;
    if (rest == 1) {
      cleaned = cleaned.substring(0, cleaned.length() - 1);
    }
    try {
      return Base64.getDecoder().decode(cleaned);
    } catch (IllegalArgumentException broken) {
      return null;
    }
  }

  private static byte[] quotedPrintable(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '_') {
        out.write(' ');
      } else if (c == '=' && isHex(text, i + 1) && isHex(text, i + 2)) {
        out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c & 0xFF);
      }
    }
    return out.toByteArray();
  }

  private static boolean isHex(String text, int index) {
    return index < text.length() && Character.digit(text.charAt(index), 16) >= 0;
  }
}
