package dev.otklik.mail.inbound;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readable plain text from mail HTML, without an HTML library.
 *
 * <p>Drops head, script, style and comments; turns br, p, div, tr, headings and list items into
 * line breaks ("• " before an item); blockquote lines get "> " so {@link ReplyTrimmer} can treat
 * them as quotes; a link whose text differs from its target keeps the target in angle brackets;
 * entities (named common ones and numeric) are decoded; whitespace collapses as a browser would.
 */
public final class HtmlToText {

  private static final Pattern INVISIBLE =
      Pattern.compile(
          "(?is)<!--.*?-->|<(head|script|style|title)\\b[^>]*>.*?</\\1\\s*>|<!\\[CDATA\\[.*?]]>|<!doctype[^>]*>");
  private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|<[^>]*>");
  private static final Pattern HREF = Pattern.compile("(?is)href\\s*=\\s*(\"([^\"]*)\"|'([^']*)'|([^\\s>]+))");
  private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,8});?");
  private static final Map<String, String> ENTITIES =
      Map.ofEntries(
          Map.entry("nbsp", "\u00A0"), Map.entry("amp", "&"), Map.entry("lt", "<"),
          Map.entry("gt", ">"), Map.entry("quot", "\""), Map.entry("apos", "'"),
          Map.entry("laquo", "«"), Map.entry("raquo", "»"), Map.entry("mdash", "—"),
          Map.entry("ndash", "–"), Map.entry("hellip", "…"), Map.entry("copy", "©"),
          Map.entry("reg", "®"), Map.entry("trade", "™"), Map.entry("euro", "€"),
          Map.entry("shy", ""), Map.entry("bull", "•"), Map.entry("middot", "·"),
          Map.entry("times", "×"), Map.entry("ldquo", "“"), Map.entry("rdquo", "”"),
          Map.entry("bdquo", "„"), Map.entry("lsquo", "‘"), Map.entry("rsquo", "’"),
          Map.entry("numero", "№"), Map.entry("deg", "°"), Map.entry("zwnj", ""),
          Map.entry("zwj", ""), Map.entry("thinsp", "\u2009"), Map.entry("ensp", "\u2002"),
          Map.entry("emsp", "\u2003"), Map.entry("rarr", "→"), Map.entry("larr", "←"));

  private HtmlToText() {}

  public static String convert(String html) {
    if (html == null) {
      return "";
    }
    String visible = INVISIBLE.matcher(html).replaceAll(" ");
    Lines out = new Lines();
    Matcher tag = TAG.matcher(visible);
    int last = 0;
    String pendingHref = null;
    int linkTextStart = -1;
    while (tag.find()) {
      out.text(decodeEntities(visible.substring(last, tag.start())));
      last = tag.end();
      if (tag.group(2) == null) {
        continue;
      }
      boolean closing = !tag.group(1).isEmpty();
      String name = tag.group(2).toLowerCase(Locale.ROOT);
      switch (name) {
        case "br" -> out.newline();
        case "p", "div", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr" ->
            out.paragraph(name.equals("p") || name.startsWith("h") ? 2 : 1);
        case "li" -> {
          out.paragraph(1);
          if (!closing) {
            out.text("• ");
          }
        }
        case "td", "th" -> {
          if (closing) {
            out.text(" ");
          }
        }
        case "blockquote" -> {
          out.paragraph(1);
          out.quoteDepth = Math.max(0, out.quoteDepth + (closing ? -1 : 1));
        }
        case "a" -> {
          if (!closing) {
            Matcher href = HREF.matcher(tag.group(3));
            pendingHref = null;
            if (href.find()) {
              String target = href.group(2) != null ? href.group(2) : href.group(3) != null ? href.group(3) : href.group(4);
              pendingHref = decodeEntities(target).trim();
            }
            linkTextStart = out.length();
          } else if (pendingHref != null && linkTextStart >= 0) {
            String linkText = out.since(linkTextStart).trim();
            String shown = pendingHref.startsWith("mailto:") ? pendingHref.substring(7) : pendingHref;
            if (!shown.isEmpty() && !shown.startsWith("#") && !linkText.equals(shown)) {
              out.text(" <" + shown + ">");
            }
            pendingHref = null;
            linkTextStart = -1;
          }
        }
        default -> {}
      }
    }
    out.text(decodeEntities(visible.substring(last)));
    return out.result();
  }

  static String decodeEntities(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    Matcher m = ENTITY.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String entity = m.group(1);
      String replacement;
      if (entity.startsWith("#")) {
        try {
          int code =
              entity.charAt(1) == 'x' || entity.charAt(1) == 'X'
                  ? Integer.parseInt(entity.substring(2), 16)
                  : Integer.parseInt(entity.substring(1));
          replacement = Character.isValidCodePoint(code) && code != 0 ? Character.toString(code) : "\uFFFD";
        } catch (NumberFormatException tooLong) {
          replacement = m.group();
        }
      } else {
        replacement = ENTITIES.getOrDefault(entity.toLowerCase(Locale.ROOT), m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Accumulates text the way a browser lays out blocks: collapsed spaces, explicit breaks. */
  private static final class Lines {
    private final StringBuilder out = new StringBuilder();
    private int quoteDepth;
    private boolean atLineStart = true;
    private boolean pendingSpace;

    void text(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (Character.isWhitespace(c)) {
          pendingSpace = !atLineStart;
          continue;
        }
        if (atLineStart) {
          out.append("> ".repeat(quoteDepth));
          atLineStart = false;
        } else if (pendingSpace) {
          out.append(' ');
        }
        pendingSpace = false;
        out.append(c == '\u00A0' ? ' ' : c);
      }
    }

    void newline() {
      out.append('\n');
      atLineStart = true;
      pendingSpace = false;
    }

    /** Ends the current line and makes sure {@code lines} line breaks separate blocks. */
    void paragraph(int lines) {
      if (out.length() == 0) {
        return;
      }
      if (!atLineStart) {
        newline();
      }
      int trailing = 0;
      for (int i = out.length() - 1; i >= 0 && out.charAt(i) == '\n'; i--) {
        trailing++;
      }
      while (trailing < lines) {
        out.append('\n');
        trailing++;
      }
    }

    int length() {
      return out.length();
    }

    String since(int start) {
      return out.substring(Math.min(start, out.length()));
    }

    String result() {
      String text = out.toString().replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n");
      return text.strip();
    }
  }
}
