package dev.leadqual.udfs.text;

/**
 * Length-preserving case and accent folding: every char maps to exactly one char, so spans found in
 * the folded text are spans in the original text.
 */
public final class Fold {
  private static final char[] TABLE = new char[0x250];

  static {
    for (char c = 0; c < TABLE.length; c++) {
      TABLE[c] = Character.toLowerCase(c);
    }
    map("ÀÁÂÃÄÅàáâãäåĀāĂăĄą", 'a');
    map("ÇçĆćĈĉĊċČč", 'c');
    map("ÈÉÊËèéêëĒēĔĕĖėĘęĚě", 'e');
    map("ÌÍÎÏìíîïĨĩĪīĬĭĮįİı", 'i');
    map("ÑñŃńŅņŇň", 'n');
    map("ÒÓÔÕÖØòóôõöøŌōŎŏŐő", 'o');
    map("ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų", 'u');
    map("ÝýÿŶŷŸ", 'y');
    map("ŚśŜŝŞşŠš", 's');
    map("ŹźŻżŽž", 'z');
    map("ĎďĐđ", 'd');
    map("ĜĝĞğĠġĢģ", 'g');
    map("ŁłĹĺĻļĽľ", 'l');
    map("ŔŕŖŗŘř", 'r');
    map("ŢţŤťŦŧ", 't');
    TABLE['ß'] = 's';
  }

  private static void map(String from, char to) {
    for (int i = 0; i < from.length(); i++) {
      TABLE[from.charAt(i)] = to;
    }
  }

  private Fold() {}

  public static char fold(char c) {
    if (c < TABLE.length) {
      return TABLE[c];
    }
    if (c == '’' || c == '‘') {
      return '\'';
    }
    return Character.toLowerCase(c);
  }

  /** Folded copy of the text, same length. */
  public static char[] fold(String s) {
    char[] out = new char[s.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = fold(s.charAt(i));
    }
    return out;
  }

  /** Folded string (convenience for lexicon building). */
  public static String foldString(String s) {
    return new String(fold(s));
  }
}
