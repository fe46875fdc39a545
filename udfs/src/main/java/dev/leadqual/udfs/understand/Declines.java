package dev.leadqual.udfs.understand;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * "Not sure", "I don't know", "prefer not to say" in en, es, de, fr, pt: the visitor declines the
 * question asked. Used by session memory (a declined slot is not asked again) and by understanding
 * (a decline is never read as the answer to the question).
 */
public final class Declines {
  /** Longer messages are answers, not "I don't know". */
  private static final int DECLINE_MAX_WORDS = 14;

  /** Folded (lower case, no accents), matched on word boundaries. en, es, de, fr, pt. */
  private static final List<String> DECLINES = List.of(
      // en
      "not sure", "unsure", "i don't know", "i dont know", "i do not know", "don't know", "dont know", "no idea",
      "prefer not to say", "rather not say", "i'd rather not", "would rather not", "prefer not to share",
      "can't say", "cannot say", "can't tell", "no comment", "not decided", "undecided", "pass",
      // es
      "no estoy seguro", "no estoy segura", "no lo se", "no se", "ni idea", "prefiero no decir",
      "prefiero no decirlo", "prefiero no responder", "prefiero no contestar", "no sabria decir",
      "no sabria decirle", "no lo tengo claro",
      // de
      "nicht sicher", "weiss nicht", "weis nicht", "weiss ich nicht", "weis ich nicht", "keine ahnung",
      "mochte ich nicht sagen", "mochte ich lieber nicht sagen", "lieber nicht sagen", "kann ich nicht sagen",
      "mochte ich nicht angeben", "noch unklar", "noch offen",
      // fr
      "pas sur", "pas sure", "je ne sais pas", "sais pas", "aucune idee", "je prefere ne pas dire",
      "je prefere ne pas le dire", "je prefere ne pas repondre", "prefere ne pas le dire", "pas encore decide",
      // pt
      "nao sei", "nao tenho certeza", "nao tenho ideia", "nenhuma ideia", "prefiro nao dizer",
      "prefiro nao informar", "prefiro nao responder", "sei la");
  private static final Pattern DECLINE;

  static {
    StringBuilder sb = new StringBuilder("(?<![\\p{L}\\p{N}])(?:");
    for (int i = 0; i < DECLINES.size(); i++) {
      sb.append(i > 0 ? "|" : "").append(Pattern.quote(DECLINES.get(i)));
    }
    DECLINE = Pattern.compile(sb.append(")(?![\\p{L}\\p{N}])").toString());
  }

  private Declines() {}

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");

  /** True when the text reads as "not sure", "I don't know" or "prefer not to say" (en, es, de, fr, pt). */
  public static boolean isDecline(String text) {
    if (text == null || text.isBlank()) {
      return false;
    }
    String stripped = text.strip();
    int words = words(stripped);
    if (words > DECLINE_MAX_WORDS && words != -1) { // long answers skip folding
      return false;
    }
    String f = fold(stripped);
    if (words == -1 && WHITESPACE.split(f).length > DECLINE_MAX_WORDS) {
      return false;
    }
    return DECLINE.matcher(f).find();
  }

  /**
   * Words of a stripped text as {@code WHITESPACE.split(fold(s)).length} counts them, without folding
   * or a regex; -1 when the text has combining marks (folding drops them, and a word of marks only).
   */
  private static int words(String s) {
    int n = 1;
    boolean inSpace = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int type = Character.getType(c);
      if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
          || type == Character.COMBINING_SPACING_MARK) {
        return -1;
      }
      boolean space = c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
      if (space && !inSpace) {
        n++;
      }
      inSpace = space;
    }
    return n;
  }

  /** Lower case, accents removed (NFD), ß as ss, typographic apostrophes as '. */
  private static String fold(String s) {
    String d = MARKS.matcher(Normalizer.normalize(s.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)).replaceAll("");
    return d.replace("ß", "ss").replace('’', '\'').replace('‘', '\'');
  }

}
