package dev.leadqual.udfs.text;

/**
 * Word tokens of a folded text: letters and digits (apostrophes and inner hyphens split tokens).
 * Each token has a start, end and a 64-bit hash of its folded chars. Reused arrays, no Strings.
 */
public final class Tokens {
  public static final long FNV_OFFSET = 0xcbf29ce484222325L;
  public static final long FNV_PRIME = 0x100000001b3L;

  public final char[] chars;
  public int size;
  public int[] start;
  public int[] end;
  public long[] hash;

  private Tokens(char[] chars, int capacity) {
    this.chars = chars;
    this.start = new int[capacity];
    this.end = new int[capacity];
    this.hash = new long[capacity];
  }

  public static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c);
  }

  /** Tokenises folded chars. */
  public static Tokens of(char[] folded) {
    Tokens t = new Tokens(folded, Math.max(8, folded.length / 4 + 4));
    int n = folded.length;
    int i = 0;
    while (i < n) {
      char c = folded[i];
      if (!isWordChar(c)) {
        i++;
        continue;
      }
      int s = i;
      long h = FNV_OFFSET;
      while (i < n && isWordChar(folded[i])) {
        h = (h ^ folded[i]) * FNV_PRIME;
        i++;
      }
      t.add(s, i, h);
    }
    return t;
  }

  private void add(int s, int e, long h) {
    if (size == start.length) {
      int cap = size * 2;
      start = java.util.Arrays.copyOf(start, cap);
      end = java.util.Arrays.copyOf(end, cap);
      hash = java.util.Arrays.copyOf(hash, cap);
    }
    start[size] = s;
    end[size] = e;
    hash[size] = h;
    size++;
  }

  public int length(int i) {
    return end[i] - start[i];
  }

  public String text(int i) {
    return new String(chars, start[i], end[i] - start[i]);
  }

  public boolean isNumber(int i) {
    for (int k = start[i]; k < end[i]; k++) {
      if (chars[k] < '0' || chars[k] > '9') {
        return false;
      }
    }
    return true;
  }

  /** Hash of the first len chars of token i. */
  public long prefixHash(int i, int len) {
    long h = FNV_OFFSET;
    int e = Math.min(end[i], start[i] + len);
    for (int k = start[i]; k < e; k++) {
      h = (h ^ chars[k]) * FNV_PRIME;
    }
    return h;
  }

  /** The hash Tokens gives a folded word. */
  public static long hashOf(CharSequence folded) {
    long h = FNV_OFFSET;
    for (int k = 0; k < folded.length(); k++) {
      h = (h ^ folded.charAt(k)) * FNV_PRIME;
    }
    return h;
  }
}
