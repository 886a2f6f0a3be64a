package dev.otklik.mail.inbound;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cuts a reply down to what the sender wrote now: quoted history and the signature go.
 *
 * <p>Cut points, the earliest wins: Outlook separators ("-----Original Message-----",
 * «-----Исходное сообщение-----», a line of underscores before From:/От:), an Outlook header block
 * (From:/От: followed within three lines by Sent:/Отправлено:/Date:/Дата:), quote headers in
 * English ("On ... wrote:"), Russian («... написал(а):», «... пишет:») and the Gmail/Yandex form
 * "date, time, Name &lt;address&gt;:" (possibly wrapped over two lines). Then a trailing block of
 * "&gt;" lines is dropped; quotes interleaved with answers are kept as context. Signatures: the
 * "-- " delimiter, or a closing («С уважением,», "Best regards,", ...) followed by at most six
 * short lines. If nothing would be left, the text is returned unchanged: the full original is in
 * {@link ParsedMail#textBody()} anyway.
 */
public final class ReplyTrimmer {

  private static final Pattern SEPARATOR =
      Pattern.compile("(?iu)^\\s*-{2,}\\s*(original message|исходное сообщение|forwarded message|пересылаемое сообщение)\\s*-{2,}\\s*$");
  private static final Pattern UNDERSCORES = Pattern.compile("^\\s*_{10,}\\s*$");
  private static final Pattern HEADER_FROM = Pattern.compile("(?iu)^\\s*\\*?(from|от|отправитель):\\*?\\s+\\S.*");
  private static final Pattern HEADER_NEXT = Pattern.compile("(?iu)^\\s*\\*?(sent|date|отправлено|дата|to|кому):\\*?\\s*.*");
  private static final Pattern WROTE =
      Pattern.compile("(?iu)^.*\\b(wrote|writes|написал|написала|написал\\(а\\)|пишет)\\s*:\\s*$");
  private static final Pattern ON_START = Pattern.compile("(?iu)^\\s*(on|в|\\d{1,2}[./]\\d{1,2}[./]\\d{2,4}|\\p{L}{2,3},)\\b.*");
  private static final Pattern DATED_ADDRESS_HEADER =
      Pattern.compile("(?u)^.*\\d{1,2}:\\d{2}.*<[^<>@\\s]+@[^<>\\s]+>\\s*:\\s*$");
  private static final Pattern CLOSING =
      Pattern.compile("(?iu)^\\s*(с уважением|с наилучшими пожеланиями|всего доброго|всего хорошего|best regards|kind regards|regards|best wishes|cheers|sincerely)\\s*[,.!]?\\s*.*$");
  private static final int SIGNATURE_MAX_LINES = 6;
  private static final int SIGNATURE_MAX_LINE_LENGTH = 80;

  private ReplyTrimmer() {}

  public static String trim(String text) {
    if (text == null || text.isBlank()) {
      return text == null ? "" : text.strip();
    }
    List<String> lines = new ArrayList<>(Arrays.asList(text.replace("\r\n", "\n").split("\n", -1)));
    int cut = quoteStart(lines);
    List<String> kept = new ArrayList<>(lines.subList(0, cut));
    dropTrailingQuotes(kept);
    dropSignature(kept);
    String result = String.join("\n", kept).strip();
    return result.isEmpty() ? text.strip() : result;
  }

  private static int quoteStart(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String joined = i + 1 < lines.size() ? line + " " + lines.get(i + 1).trim() : line;
      if (SEPARATOR.matcher(line).matches()) {
        return i;
      }
      if (UNDERSCORES.matcher(line).matches() && i + 1 < lines.size() && HEADER_FROM.matcher(lines.get(i + 1)).matches()) {
        return i;
      }
      if (HEADER_FROM.matcher(line).matches() && headerFollows(lines, i)) {
        return i;
      }
      if (line.startsWith(">")) {
        continue;
      }
      if (WROTE.matcher(line).matches() || DATED_ADDRESS_HEADER.matcher(line).matches()) {
        return i;
      }
      // A client wrapped its quote header: "On Mon, ... Ivan <" / "ivan@x.ru> wrote:"
      if (ON_START.matcher(line).matches()
          && i + 1 < lines.size()
          && (WROTE.matcher(joined).matches() || DATED_ADDRESS_HEADER.matcher(joined).matches())
          && quotedOrEndFollows(lines, i + 2)) {
        return i;
      }
    }
    return lines.size();
  }

  private static boolean headerFollows(List<String> lines, int from) {
    for (int j = from + 1; j <= from + 3 && j < lines.size(); j++) {
      if (HEADER_NEXT.matcher(lines.get(j)).matches()) {
        return true;
      }
    }
    return false;
  }

  private static boolean quotedOrEndFollows(List<String> lines, int from) {
    for (int j = from; j < lines.size(); j++) {
      if (!lines.get(j).isBlank()) {
        return lines.get(j).startsWith(">");
      }
    }
    return true;
  }

  private static void dropTrailingQuotes(List<String> lines) {
    int end = lines.size();
    while (end > 0 && (lines.get(end - 1).isBlank() || lines.get(end - 1).startsWith(">"))) {
      end--;
    }
    lines.subList(end, lines.size()).clear();
  }

  private static void dropSignature(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).equals("-- ") || lines.get(i).equals("--")) {
        lines.subList(i, lines.size()).clear();
        return;
      }
    }
    for (int i = Math.max(0, lines.size() - SIGNATURE_MAX_LINES - 1); i < lines.size(); i++) {
      if (CLOSING.matcher(lines.get(i)).matches() && shortBlock(lines.subList(i + 1, lines.size()))) {
        lines.subList(i, lines.size()).clear();
        return;
      }
    }
  }

  private static boolean shortBlock(List<String> block) {
    long nonBlank = block.stream().filter(l -> !l.isBlank()).count();
    return nonBlank <= SIGNATURE_MAX_LINES
        && block.stream().allMatch(l -> l.length() <= SIGNATURE_MAX_LINE_LENGTH);
  }
}
