package dev.leadqual.udfs.understand;

import java.util.Map;

/** Parsing of written amounts: "75k", "2,500", "20.000", "1,5 Mio", "100 mil". */
final class Numbers {
  private Numbers() {}

  static final Map<String, Integer> WORDS = Map.ofEntries(
      Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5),
      Map.entry("six", 6), Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10),
      Map.entry("eleven", 11), Map.entry("twelve", 12), Map.entry("a", 1), Map.entry("an", 1), Map.entry("couple", 2),
      Map.entry("few", 3), Map.entry("several", 3),
      Map.entry("un", 1), Map.entry("una", 1), Map.entry("uno", 1), Map.entry("dos", 2), Map.entry("tres", 3), Map.entry("cuatro", 4),
      Map.entry("cinco", 5), Map.entry("seis", 6), Map.entry("siete", 7), Map.entry("ocho", 8), Map.entry("nueve", 9),
      Map.entry("diez", 10), Map.entry("doce", 12),
      Map.entry("ein", 1), Map.entry("eine", 1), Map.entry("einem", 1), Map.entry("einer", 1), Map.entry("zwei", 2),
      Map.entry("drei", 3), Map.entry("vier", 4), Map.entry("funf", 5), Map.entry("sechs", 6), Map.entry("sieben", 7),
      Map.entry("acht", 8), Map.entry("neun", 9), Map.entry("zehn", 10), Map.entry("zwolf", 12),
      Map.entry("une", 1), Map.entry("deux", 2), Map.entry("trois", 3), Map.entry("quatre", 4), Map.entry("cinq", 5),
      Map.entry("six_fr", 6), Map.entry("sept", 7), Map.entry("huit", 8), Map.entry("neuf", 9), Map.entry("dix", 10),
      Map.entry("douze", 12),
      Map.entry("um", 1), Map.entry("uma", 1), Map.entry("dois", 2), Map.entry("duas", 2), Map.entry("tres_pt", 3),
      Map.entry("quatro", 4), Map.entry("seis_pt", 6), Map.entry("sete", 7), Map.entry("oito", 8), Map.entry("nove", 9),
      Map.entry("dez", 10));

  /**
   * Parses a numeric string with thousands separators or decimals. A separator followed by exactly
   * three digits (and nothing that reads as a decimal part) is a thousands separator. Returns NaN
   * when not a number.
   */
  static double parse(String s) {
    s = s.replace(" ", "").replace("\u00a0", "").replace("'", "");
    if (s.isEmpty()) {
      return Double.NaN;
    }
    int lastDot = s.lastIndexOf('.');
    int lastComma = s.lastIndexOf(',');
    int lastSep = Math.max(lastDot, lastComma);
    String normal;
    if (lastSep < 0) {
      normal = s;
    } else {
      int tail = s.length() - lastSep - 1;
      boolean bothKinds = lastDot >= 0 && lastComma >= 0;
      char sep = s.charAt(lastSep);
      int sepCount = 0;
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) == sep) {
          sepCount++;
        }
      }
      if (bothKinds) {
        // the last one is the decimal separator
        normal = s.substring(0, lastSep).replace(".", "").replace(",", "") + "." + s.substring(lastSep + 1);
      } else if (tail == 3 && (sepCount > 1 || lastSep <= 3)) {
        normal = s.replace(String.valueOf(sep), "");
      } else if (sepCount == 1) {
        normal = s.replace(sep, '.');
      } else {
        normal = s.replace(String.valueOf(sep), "");
      }
    }
    try {
      return Double.parseDouble(normal);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Multiplier for a folded suffix word: k, m, mil, thousand, million, mio, ... (1 if none). */
  static double multiplier(String folded) {
    if (folded == null || folded.isEmpty()) {
      return 1;
    }
    switch (folded) {
      case "k":
      case "mil":
      case "thousand":
      case "tausend":
      case "mille":
      case "grand":
      case "tsd":
        return 1_000;
      case "m":
      case "mm":
      case "mn":
      case "mio":
      case "million":
      case "millions":
      case "millon":
      case "millones":
      case "millionen":
      case "milhao":
      case "milhoes":
        return 1_000_000;
      default:
        return 1;
    }
  }

  static String plain(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
