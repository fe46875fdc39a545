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
    /** Matched only through a misspelt word read as a cue word (see {@link #enableTypoTolerance}). */
    public final boolean corrected;

    Hit(Entry entry, int from, int to) {
      this(entry, from, to, false);
    }

    Hit(Entry entry, int from, int to, boolean corrected) {
      this.entry = entry;
      this.from = from;
      this.to = to;
      this.corrected = corrected;
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
    addToBucket(firstIndex, buckets, key, idx);
    return this;
  }

  /** Appends idx to the bucket of key (index: key → bucket number); an idx already last in the bucket is not repeated. */
  private static void addToBucket(LongIntMap index, List<int[]> buckets, long key, int idx) {
    int b = index.get(key, -1);
    if (b < 0) {
      index.put(key, buckets.size());
      buckets.add(new int[] {idx});
    } else {
      int[] old = buckets.get(b);
      if (old[old.length - 1] != idx) {
        int[] nw = java.util.Arrays.copyOf(old, old.length + 1);
        nw[old.length] = idx;
        buckets.set(b, nw);
      }
    }
  }

  public int size() {
    return entries.size();
  }

  // ---- typo tolerance (see enableTypoTolerance)
  /** Shortest token that may be a misspelt phrase word. */
  static final int TYPO_MIN_TOKEN = 5;
  /** Shortest phrase word a token may be corrected to ("demmo" → "demo"). */
  static final int TYPO_MIN_WORD = 4;
  /** Hash of a phrase word or of one of its one-letter deletions → index in typoCandidates. */
  private LongIntMap deletions;
  /** Indexes in typoWords of the phrase words that share a deletion hash. */
  private final List<int[]> typoCandidates = new ArrayList<>();
  private final List<String> typoWords = new ArrayList<>();
  /** Sorted hashes of the words never corrected: every exact phrase word and the common words. */
  private long[] knownWords;
  /** Hashes of the stems (prefix words) with their lengths, for "this token matches a stem". */
  private LongIntMap stems;

  /**
   * Lets {@link #match} read a misspelt word as the phrase word one edit away (a letter dropped,
   * added, replaced, or two adjacent letters swapped): only tokens of at least {@link
   * #TYPO_MIN_TOKEN} letters that are not a phrase word, a stem's extension or a common word, and
   * only when exactly one phrase word is that close. Candidates come from a deletion neighbourhood
   * of every phrase word precomputed here (symmetric deletion), so a lookup costs a token's
   * deletion hashes and no allocation. Call once, after the last {@link #add}.
   *
   * @param commonWords sorted hashes of common words (never corrected); null for none
   */
  public Lexicon enableTypoTolerance(long[] commonWords) {
    java.util.Set<String> words = new java.util.TreeSet<>();
    java.util.Set<Long> known = new java.util.HashSet<>();
    stems = new LongIntMap(256);
    for (Entry e : entries) {
      for (String w : Fold.foldString(e.phrase.trim()).split("[\\s]+")) {
        boolean prefix = w.endsWith("*");
        String[] parts = (prefix ? w.substring(0, w.length() - 1) : w).split("[^\\p{L}\\p{N}]+");
        for (int i = 0; i < parts.length; i++) {
          if (parts[i].isEmpty()) {
            continue;
          }
          if (prefix && i == parts.length - 1) {
            stems.put(Tokens.hashOf(parts[i]), parts[i].length());
          } else {
            known.add(Tokens.hashOf(parts[i]));
            if (parts[i].length() >= TYPO_MIN_WORD && parts[i].chars().allMatch(Character::isLetter)) {
              words.add(parts[i]);
            }
          }
        }
      }
    }
    deletions = new LongIntMap(words.size() * 16);
    for (String w : words) {
      int idx = typoWords.size();
      typoWords.add(w);
      putCandidate(Tokens.hashOf(w), idx);
      for (int k = 0; k < w.length(); k++) {
        long h = Tokens.FNV_OFFSET;
        for (int j = 0; j < w.length(); j++) {
          if (j != k) {
            h = (h ^ w.charAt(j)) * Tokens.FNV_PRIME;
          }
        }
        putCandidate(h, idx);
      }
    }
    long[] k = new long[known.size() + (commonWords == null ? 0 : commonWords.length)];
    int n = 0;
    for (long h : known) {
      k[n++] = h;
    }
    if (commonWords != null) {
      System.arraycopy(commonWords, 0, k, n, commonWords.length);
    }
    java.util.Arrays.sort(k);
    knownWords = k;
    return this;
  }

  private void putCandidate(long h, int idx) {
    addToBucket(deletions, typoCandidates, h, idx);
  }

  /** Verifies the candidates of one deletion hash; returns the found word index, -1 none so far, -2 two different words. */
  private int verify(long h, Tokens t, int s, int len, int found) {
    int b = deletions.get(h, -1);
    if (b < 0) {
      return found;
    }
    for (int c : typoCandidates.get(b)) {
      if (c != found && withinOneEdit(t.chars, s, len, typoWords.get(c))) {
        if (found >= 0) {
          return -2; // two phrase words are that close: no guess
        }
        found = c;
      }
    }
    return found;
  }

  /** The hash of the one phrase word one edit away from token i, or 0 when none or more than one. */
  private long correction(Tokens t, int i) {
    int s = t.start[i];
    int len = t.length(i);
    if (len < TYPO_MIN_TOKEN || java.util.Arrays.binarySearch(knownWords, t.hash[i]) >= 0) {
      return 0;
    }
    long h = Tokens.FNV_OFFSET;
    for (int k = 0; k < len; k++) {
      char c = t.chars[s + k];
      if (!Character.isLetter(c)) {
        return 0;
      }
      h = (h ^ c) * Tokens.FNV_PRIME;
      int sl = stems.get(h, 0);
      if (sl == k + 1) {
        return 0; // extends a stem: the stem matches it already
      }
    }
    int found = verify(t.hash[i], t, s, len, -1); // a letter dropped from a phrase word ("pricng")
    for (int k = 0; k < len && found != -2; k++) {
      long d = Tokens.FNV_OFFSET;
      for (int j = 0; j < len; j++) {
        if (j != k) {
          d = (d ^ t.chars[s + j]) * Tokens.FNV_PRIME;
        }
      }
      found = verify(d, t, s, len, found); // added ("demmo"), replaced or swapped letters
    }
    return found < 0 ? 0 : Tokens.hashOf(typoWords.get(found));
  }

  /**
   * Whether chars[s, s+la) is w with one plausible typing slip: a letter dropped ("pricng"), a
   * letter doubled ("demmo", "chargged"), two adjacent letters swapped ("cancle"), or, in words of
   * six letters or more, one letter replaced ("refumd"). Never the first letter ("bills" is no slip
   * of "thills"), never an inserted letter that doubles no neighbour ("planets" is no slip of
   * "planes"), never a replaced letter in a five-letter word ("bulls" is no slip of "bills"): an
   * unknown word one edit from a cue is more often another word than a slip.
   */
  static boolean withinOneEdit(char[] a, int s, int la, String w) {
    int lb = w.length();
    if (Math.abs(la - lb) > 1 || la == 0 || lb == 0 || a[s] != w.charAt(0)) {
      return false;
    }
    int i = 0;
    while (i < la && i < lb && a[s + i] == w.charAt(i)) {
      i++;
    }
    if (la == lb) {
      if (i == la) {
        return false; // the same word (never corrected)
      }
      if (la >= 6 && regionEquals(a, s + i + 1, w, i + 1, la - i - 1)) {
        return true; // replaced
      }
      return i + 1 < la && a[s + i] == w.charAt(i + 1) && a[s + i + 1] == w.charAt(i) && regionEquals(a, s + i + 2, w, i + 2, la - i - 2);
    }
    if (la < lb) {
      return regionEquals(a, s + i, w, i + 1, la - i); // dropped
    }
    // one letter more than w at i: only a doubled letter
    return a[s + i] == a[s + i - 1] && regionEquals(a, s + i + 1, w, i, lb - i);
  }

  private static boolean regionEquals(char[] a, int from, String w, int wFrom, int n) {
    for (int k = 0; k < n; k++) {
      if (a[from + k] != w.charAt(wFrom + k)) {
        return false;
      }
    }
    return true;
  }

  /** All matches, in token order; overlapping matches are all reported. */
  public void match(Tokens t, List<Hit> out) {
    long[] hash = t.hash;
    if (deletions != null) {
      for (int i = 0; i < t.size; i++) {
        long c = correction(t, i);
        if (c != 0) {
          if (hash == t.hash) {
            hash = java.util.Arrays.copyOf(t.hash, t.size);
          }
          hash[i] = c;
        }
      }
    }
    for (int i = 0; i < t.size; i++) {
      int b = firstIndex.get(hash[i], -1);
      if (b >= 0) {
        check(t, hash, i, buckets.get(b), out);
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
                check(t, hash, i, buckets.get(pb), out);
              }
            }
          }
        }
      }
    }
  }

  private void check(Tokens t, long[] hash, int i, int[] bucket, List<Hit> out) {
    for (int idx : bucket) {
      Entry e = entries.get(idx);
      int n = e.hashes.length;
      if (i + n > t.size) {
        continue;
      }
      boolean ok = true;
      for (int j = 1; j < n && ok; j++) {
        if (e.prefixLen[j] == 0) {
          ok = hash[i + j] == e.hashes[j];
        } else {
          ok = t.length(i + j) >= e.prefixLen[j] && t.prefixHash(i + j, e.prefixLen[j]) == e.hashes[j];
        }
      }
      if (ok && e.prefixLen[0] > 0 && t.prefixHash(i, e.prefixLen[0]) != e.hashes[0]) {
        ok = false;
      }
      if (ok) {
        boolean corrected = false;
        for (int j = i; j < i + n && hash != t.hash; j++) {
          corrected |= hash[j] != t.hash[j];
        }
        out.add(new Hit(e, i, i + n, corrected));
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
