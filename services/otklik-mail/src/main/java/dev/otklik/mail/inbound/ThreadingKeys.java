package dev.otklik.mail.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What ties an incoming mail to an existing request: the number in the subject and the ids of the
 * messages it answers.
 *
 * <p>The number counts only inside square brackets, as Otklik writes it ("[ASMO-2026-000123]"),
 * anywhere in the subject, so "Re:", "Ответ:", "AW:" and "Fwd:" prefixes in any number do not
 * matter, and a number quoted loosely in the text of a subject does not hijack a thread.
 */
public final class ThreadingKeys {

  private static final Pattern REPLY_PREFIX =
      Pattern.compile("(?iu)^\\s*((re|fw|fwd|aw|wg|sv|vs|ha|отв|ответ|пересл|переслать)\\s*(\\[\\d+]|\\(\\d+\\))?\\s*:\\s*)+");

  private final Pattern bracketedNumber;

  /** @param numberPattern a regex for one request number, e.g. {@code ASMO-\d{4}-\d{6}} */
  public ThreadingKeys(String numberPattern) {
    this.bracketedNumber = Pattern.compile("\\[\\s*(" + numberPattern + ")\\s*]", Pattern.CASE_INSENSITIVE);
  }

  /** Keys for numbers such as {@code ASMO-2026-000123}: prefix, year, sequence. */
  public static ThreadingKeys forPrefix(String prefix) {
    return new ThreadingKeys(Pattern.quote(prefix) + "-\\d{4}-\\d{1,9}");
  }

  /** The request number in brackets in the subject, upper-cased as issued; the first one wins. */
  public Optional<String> requestNumber(String subject) {
    if (subject == null) {
      return Optional.empty();
    }
    Matcher m = bracketedNumber.matcher(subject);
    return m.find() ? Optional.of(m.group(1).toUpperCase(java.util.Locale.ROOT)) : Optional.empty();
  }

  /**
   * The message ids this mail answers, most specific first: In-Reply-To, then References from the
   * newest back. Look them up in this order against the Message-IDs Otklik sent.
   */
  public static List<String> referencedMessageIds(ParsedMail mail) {
    List<String> ids = new ArrayList<>();
    if (mail.inReplyTo() != null) {
      ids.add(mail.inReplyTo());
    }
    List<String> references = mail.references();
    for (int i = references.size() - 1; i >= 0; i--) {
      if (!ids.contains(references.get(i))) {
        ids.add(references.get(i));
      }
    }
    return ids;
  }

  /** The subject without reply and forward prefixes ("Re: Fwd: Ответ: x" becomes "x"). */
  public static String withoutReplyPrefixes(String subject) {
    return subject == null ? "" : REPLY_PREFIX.matcher(subject).replaceFirst("").strip();
  }
}
