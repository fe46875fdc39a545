package dev.leadqual.udfs.redact;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces emails, IBAN-like numbers, card-like numbers (13-19 digits passing the Luhn check) and
 * phone-like numbers (7+ digits) with {@code [email]}, {@code [iban]}, {@code [card]} and
 * {@code [phone]}. Used for transcript tails, archives, warehouse and audit. Thread-safe.
 */
public final class Redactor {
  private static final Pattern EMAIL =
      Pattern.compile("[\\p{L}\\p{N}._%+'-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+");
  private static final Pattern IBAN =
      Pattern.compile("\\b[A-Z]{2}\\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\\b");
  /** Digit runs with the separators people use in card and phone numbers. */
  private static final Pattern NUMBERISH =
      Pattern.compile("(?<![\\w.,])\\+?\\(?\\d(?:[\\d \\-./()]{5,26})\\d(?![\\w])");

  private Redactor() {}

  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String s = text;
    if (s.indexOf('@') >= 0) {
      s = EMAIL.matcher(s).replaceAll("[email]");
    }
    if (!hasDigits(s, 7)) {
      return s;
    }
    s = IBAN.matcher(s).replaceAll("[iban]");
    Matcher m = NUMBERISH.matcher(s);
    StringBuilder out = null;
    int last = 0;
    while (m.find()) {
      String g = m.group();
      int digits = 0;
      for (int i = 0; i < g.length(); i++) {
        if (Character.isDigit(g.charAt(i))) {
          digits++;
        }
      }
      String replacement;
      if (digits >= 13 && digits <= 19 && luhn(g)) {
        replacement = "[card]";
      } else if (digits >= 7 && digits <= 15 && !looksLikeDateOrAmount(g)) {
        replacement = "[phone]";
      } else if (digits > 15) {
        replacement = "[number]";
      } else {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(s.length());
      }
      out.append(s, last, m.start()).append(replacement);
      last = m.end();
    }
    if (out == null) {
      return s;
    }
    out.append(s, last, s.length());
    return out.toString();
  }

  /** 2026-12-31, 31/12/2026, 31.12.2026, 1.500.000 */
  private static final Pattern DATE_OR_AMOUNT =
      Pattern.compile("\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}|\\d{1,3}(?:[.,]\\d{3})+");

  private static boolean looksLikeDateOrAmount(String g) {
    return DATE_OR_AMOUNT.matcher(g).matches();
  }

  private static boolean hasDigits(String s, int min) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9' && ++n >= min) {
        return true;
      }
    }
    return false;
  }

  static boolean luhn(String g) {
    int sum = 0;
    boolean dbl = false;
    for (int i = g.length() - 1; i >= 0; i--) {
      char c = g.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }
}
