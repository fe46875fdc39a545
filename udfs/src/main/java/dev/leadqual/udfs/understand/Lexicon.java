package dev.leadqual.udfs.understand;

import dev.leadqual.udfs.text.Fold;
import dev.leadqual.udfs.text.Tokens;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-word phrase matcher over folded tokens. A phrase is words separated by spaces; a word
 * ending in {@code *} matches any token starting with it (at least 3 chars before the star).
 * Matching is exact on folded (lower-cased, accent-stripped) tokens, so "Précio", "precio" and
 * "PRECIO" match alike. Immutable once built; thread-safe.
 */
public final class Lexicon {
  /** One phrase and what it means. */
  public static final class Entry {
    public final String kind;
    public final String value;
    public final double weight;
    public final String lang;
    public final String phrase;
    final long[] hashes;
    final int[] prefixLen; // 0 = exact

    Entry(String kind, String value, double weight, String lang, String phrase, long[] hashes, int[] prefixLen) {
      this.kind = kind;
      this.value = value;
      this.weight = weight;
      this.lang = lang;
      this.phrase = phrase;
      this.hashes = hashes;
      this.prefixLen = prefixLen;
    }

    public int words() {
      return hashes.length;
    }

    @Override
    public String toString() {
      return kind + ":" + value + "(" + phrase + ")";
    }
  }

  /** A match: entry and token range [from, to). */
  public static final class Hit {
    public final Entry entry;
    public final int from;
    public final int to;

    Hit(Entry entry, int from, int to) {
      this.entry = entry;
      this.from = from;
      this.to = to;
    }
  }

  private static final long PREFIX_SALT = 0x9E3779B97F4A7C15L;

  private final List<Entry> entries = new ArrayList<>();
  private final LongIntMap firstIndex = new LongIntMap(1024);
  private final List<int[]> buckets = new ArrayList<>();
  private int minPrefix = Integer.MAX_VALUE;
  private int maxPrefix = 0;

  public Lexicon add(String kind, String value, double weight, String lang, String phrase) {
    String[] words = Fold.foldString(phrase.trim()).split("[\\s]+");
    List<Long> hs = new ArrayList<>();
    List<Integer> pl = new ArrayList<>();
    for (String w : words) {
      // split on non-word chars the same way Tokens does, keeping '*' as a prefix marker
      boolean prefix = w.endsWith("*");
      String core = prefix ? w.substring(0, w.length() - 1) : w;
      String[] parts = core.split("[^\\p{L}\\p{N}]+");
      for (int i = 0; i < parts.length; i++) {
        if (parts[i].isEmpty()) {
          continue;
        }
        boolean isPrefix = prefix && i == parts.length - 1;
        hs.add(Tokens.hashOf(parts[i]));
        pl.add(isPrefix ? parts[i].length() : 0);
      }
    }
    if (hs.isEmpty()) {
      throw new IllegalArgumentException("empty phrase: " + phrase);
    }
    long[] hashes = new long[hs.size()];
    int[] prefixLen = new int[hs.size()];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = hs.get(i);
      prefixLen[i] = pl.get(i);
    }
    Entry e = new Entry(kind, value, weight, lang, phrase, hashes, prefixLen);
    int idx = entries.size();
    entries.add(e);
    long key = prefixLen[0] > 0 ? hashes[0] ^ PREFIX_SALT : hashes[0];
    if (prefixLen[0] > 0) {
      minPrefix = Math.min(minPrefix, prefixLen[0]);
      maxPrefix = Math.max(maxPrefix, prefixLen[0]);
    }
    int b = firstIndex.get(key, -1);
    if (b < 0) {
      firstIndex.put(key, buckets.size());
      buckets.add(new int[] {idx});
    } else {
      int[] old = buckets.get(b);
      int[] nw = java.util.Arrays.copyOf(old, old.length + 1);
      nw[old.length] = idx;
      buckets.set(b, nw);
    }
    return this;
  }

  public int size() {
    return entries.size();
  }

  /** All matches, in token order; overlapping matches are all reported. */
  public void match(Tokens t, List<Hit> out) {
    for (int i = 0; i < t.size; i++) {
      int b = firstIndex.get(t.hash[i], -1);
      if (b >= 0) {
        check(t, i, buckets.get(b), out);
      }
      if (maxPrefix > 0) {
        int len = t.length(i);
        if (len >= minPrefix) {
          long h = Tokens.FNV_OFFSET;
          int s = t.start[i];
          int lim = Math.min(len, maxPrefix);
          for (int k = 0; k < lim; k++) {
            h = (h ^ t.chars[s + k]) * Tokens.FNV_PRIME;
            if (k + 1 >= minPrefix) {
              int pb = firstIndex.get(h ^ PREFIX_SALT, -1);
              if (pb >= 0) {
                check(t, i, buckets.get(pb), out);
              }
            }
          }
        }
      }
    }
  }

  private void check(Tokens t, int i, int[] bucket, List<Hit> out) {
    for (int idx : bucket) {
      Entry e = entries.get(idx);
      int n = e.hashes.length;
      if (i + n > t.size) {
        continue;
      }
      boolean ok = true;
      for (int j = 1; j < n && ok; j++) {
        if (e.prefixLen[j] == 0) {
          ok = t.hash[i + j] == e.hashes[j];
        } else {
          ok = t.length(i + j) >= e.prefixLen[j] && t.prefixHash(i + j, e.prefixLen[j]) == e.hashes[j];
        }
      }
      if (ok && e.prefixLen[0] > 0 && t.prefixHash(i, e.prefixLen[0]) != e.hashes[0]) {
        ok = false;
      }
      if (ok) {
        out.add(new Hit(e, i, i + n));
      }
    }
  }

  /**
   * Reads a cue file: lines {@code kind <TAB> value <TAB> weight <TAB> lang <TAB> phrase|phrase|...};
   * blank lines and lines starting with # are ignored.
   */
  public static Lexicon read(java.io.Reader reader) throws java.io.IOException {
    Lexicon lex = new Lexicon();
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.io.BufferedReader r = new java.io.BufferedReader(reader);
    String line;
    int n = 0;
    while ((line = r.readLine()) != null) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      if (f.length != 5) {
        throw new java.io.IOException("cue line " + n + ": expected 5 tab-separated fields");
      }
      double w = Double.parseDouble(f[2].trim());
      for (String phrase : f[4].split("\\|")) {
        // the same phrase listed twice for one meaning (a word shared by two languages) is matched once
        if (!phrase.isBlank() && seen.add(f[0].trim() + '\t' + f[1].trim() + '\t' + w + '\t' + Fold.foldString(phrase.trim()))) {
          lex.add(f[0].trim(), f[1].trim(), w, f[3].trim(), phrase);
        }
      }
    }
    return lex;
  }
}
