package dev.otklik.mail.inbound;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Decodes text whose declared charset may be wrong or missing, as Russian mail often is.
 *
 * <p>How it decides:
 *
 * <ol>
 *   <li>Pure ASCII bytes: any charset gives the same text, so the declared one is used.
 *   <li>Strictly valid UTF-8 with non-ASCII bytes wins outright when the declared charset is
 *       missing, US-ASCII or fails: legacy 8-bit Cyrillic text is practically never valid UTF-8.
 *   <li>Otherwise the declared charset is trusted unless its text looks wrong: it has replacement
 *       or C1 control characters, it is Cyrillic that scores clearly worse than another candidate
 *       (mojibake), or it is a Latin charset yet more than a third of its letters are accented
 *       (Western text never is; Cyrillic bytes read as Latin-1 always are).
 *   <li>Candidates UTF-8, windows-1251, KOI8-R and ISO-8859-5 are scored by a simple Cyrillic
 *       frequency score: the mean Russian letter frequency (per cent) of the Cyrillic letters,
 *       minus penalties for a capital straight after a small letter inside a word, for letters
 *       that do not occur in Russian (Ђ, џ, ...), for box-drawing and control characters and for
 *       U+FFFD. Right decodings score about 5-6; the usual mix-ups score below 3.
 * </ol>
 */
public final class CyrillicCharsetGuesser {

  static final Charset WINDOWS_1251 = Charset.forName("windows-1251");
  static final Charset KOI8_R = Charset.forName("KOI8-R");
  static final Charset ISO_8859_5 = Charset.forName("ISO-8859-5");
  private static final List<Charset> CANDIDATES =
      List.of(StandardCharsets.UTF_8, WINDOWS_1251, KOI8_R, ISO_8859_5);

  /** How much better (in score points) a candidate must be to overrule a declared charset. */
  private static final double OVERRULE_MARGIN = 1.5;

  // Russian letter frequencies in per cent, а..я (then ё).
  private static final double[] FREQUENCY = {
    8.01, 1.59, 4.54, 1.70, 2.98, 8.45, 0.94, 1.65, 7.35, 1.21, 3.49, 4.40, 3.21, 6.70, 10.97,
    2.81, 4.73, 5.47, 6.26, 2.62, 0.26, 0.97, 0.48, 1.44, 0.73, 0.36, 0.04, 1.90, 1.74, 0.32,
    0.64, 2.01
  };

  /** The outcome: the text and the charset it was read with; guessed when the label was overruled. */
  public record Decoded(String text, Charset charset, boolean guessed) {}

  private CyrillicCharsetGuesser() {}

  /**
   * Decodes {@code bytes}, starting from the declared charset name (may be null, unknown or wrong).
   */
  public static Decoded decode(byte[] bytes, String declaredCharset) {
    Charset declared = charsetOrNull(declaredCharset);
    if (isAscii(bytes)) {
      return new Decoded(
          new String(bytes, StandardCharsets.US_ASCII),
          declared == null ? StandardCharsets.US_ASCII : declared,
          false);
    }
    boolean declaredUseless = declared == null || declared.equals(StandardCharsets.US_ASCII);
    String strictUtf8 = strictUtf8(bytes);
    if (declaredUseless && strictUtf8 != null) {
      return new Decoded(strictUtf8, StandardCharsets.UTF_8, declared != null);
    }
    String declaredText = declared == null ? null : new String(bytes, declared);
    if (!declaredUseless && !looksWrong(declaredText, declared)) {
      Decoded best = bestCandidate(bytes);
      if (best.charset.equals(declared)
          || !canCarryCyrillic(declared)
          || score(best.text) < score(declaredText) + OVERRULE_MARGIN) {
        return new Decoded(declaredText, declared, false);
      }
      return best;
    }
    if (strictUtf8 != null) {
      return new Decoded(strictUtf8, StandardCharsets.UTF_8, true);
    }
    return bestCandidate(bytes);
  }

  /** Mean Russian letter frequency of the Cyrillic letters minus penalties; 0 for non-Cyrillic text. */
  public static double score(String text) {
    double sum = 0;
    int letters = 0;
    int penalties = 0;
    char previous = ' ';
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\uFFFD' || (c >= 0x80 && c < 0xA0) || (c >= 0x2500 && c <= 0x259F)) {
        penalties += 4;
      } else if (c >= 0x0400 && c <= 0x045F) {
        char lower = Character.toLowerCase(c);
        if (lower >= 'а' && lower <= 'я') {
          sum += FREQUENCY[lower - 'а'];
        } else if (lower == 'ё') {
          sum += 0.04;
        } else {
          penalties += 2; // Serbian/Macedonian/Ukrainian letters: what UTF-8 read as cp1251 yields
        }
        letters++;
        if (Character.isUpperCase(c) && Character.isLowerCase(previous)) {
          penalties += 2;
        }
      }
      previous = c;
    }
    if (letters == 0) {
      return -penalties;
    }
    return (sum - 3.0 * penalties) / letters;
  }

  static Charset charsetOrNull(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    String cleaned = name.trim().replace("\"", "").toLowerCase(Locale.ROOT);
    // Common aliases mail clients write that Java does not know.
    cleaned =
        switch (cleaned) {
          case "cp-1251", "win-1251", "windows1251", "x-cp1251" -> "windows-1251";
          case "koi8r", "koi8" -> "koi8-r";
          case "utf8" -> "utf-8";
          default -> cleaned;
        };
    try {
      return Charset.forName(cleaned);
    } catch (RuntimeException unknown) {
      return null;
    }
  }

  private static Decoded bestCandidate(byte[] bytes) {
    Decoded best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (Charset candidate : CANDIDATES) {
      String text = new String(bytes, candidate);
      double score = score(text);
      if (score > bestScore) {
        bestScore = score;
        best = new Decoded(text, candidate, true);
      }
    }
    return best;
  }

  private static boolean looksWrong(String text, Charset charset) {
    if (text.indexOf('\uFFFD') >= 0) {
      return true;
    }
    int accented = 0;
    int letters = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80 && c < 0xA0) {
        return true;
      }
      if (Character.isLetter(c)) {
        letters++;
        if (c >= 0xC0 && c <= 0xFF) {
          accented++;
        }
      }
    }
    return !canCarryCyrillic(charset) && letters > 0 && accented * 3 > letters;
  }

  private static boolean canCarryCyrillic(Charset charset) {
    return charset.equals(WINDOWS_1251)
        || charset.equals(KOI8_R)
        || charset.equals(ISO_8859_5)
        || charset.name().toLowerCase(Locale.ROOT).contains("koi8")
        || charset.name().toLowerCase(Locale.ROOT).contains("866")
        || charset.equals(StandardCharsets.UTF_8);
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException notUtf8) {
      return null;
    }
  }
}
