package dev.leadqual.udfs.tools;

import java.util.SplittableRandom;

/**
 * Deterministic typo injection, to measure how understanding degrades on chat-like misspellings
 * ("pricng", "cancle", "subscripton", "demmo"): in words of at least {@link #MIN_LETTERS} letters,
 * each word is edited with probability {@code rate}, by exactly one edit chosen uniformly — drop a
 * letter, swap two adjacent letters, duplicate a letter, or replace a letter by another (a–z, the
 * case of the original kept). The random stream is seeded from the seed and the message text only,
 * so a message always gets the same typos whatever else is evaluated.
 */
public final class Typos {
  public static final int MIN_LETTERS = 5;

  private Typos() {}

  /** The text with typos; words are maximal runs of letters. */
  public static String inject(String text, long seed, double rate) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + text.hashCode());
    StringBuilder out = new StringBuilder(text.length() + 8);
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (!Character.isLetter(text.charAt(i))) {
        out.append(text.charAt(i++));
        continue;
      }
      int j = i;
      while (j < n && Character.isLetter(text.charAt(j))) {
        j++;
      }
      if (j - i >= MIN_LETTERS && r.nextDouble() < rate) {
        edit(text, i, j, r, out);
      } else {
        out.append(text, i, j);
      }
      i = j;
    }
    return out.toString();
  }

  private static void edit(String text, int s, int e, SplittableRandom r, StringBuilder out) {
    int len = e - s;
    int kind = r.nextInt(4);
    int p = s + r.nextInt(kind == 1 ? len - 1 : len);
    switch (kind) {
      case 0 -> out.append(text, s, p).append(text, p + 1, e); // drop
      case 1 -> out.append(text, s, p).append(text.charAt(p + 1)).append(text.charAt(p)).append(text, p + 2, e); // swap
      case 2 -> out.append(text, s, p + 1).append(text, p, e); // duplicate
      default -> {
        char c = text.charAt(p);
        char x;
        do {
          x = (char) ('a' + r.nextInt(26));
        } while (x == Character.toLowerCase(c));
        out.append(text, s, p).append(Character.isUpperCase(c) ? Character.toUpperCase(x) : x).append(text, p + 1, e); // replace
      }
    }
  }
}
