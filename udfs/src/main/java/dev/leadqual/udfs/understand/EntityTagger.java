package dev.leadqual.udfs.understand;

import dev.leadqual.udfs.text.Tokens;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A small linear-chain tagger for person and company names: BIO tags ({@code O, B-PER, I-PER,
 * B-ORG, I-ORG}), first-order Viterbi decoding, weights from an averaged structured perceptron
 * ({@link TaggerTrainer}). Features of token i (all hashed into {@code 2^bits} buckets, each
 * bucket holding one weight per tag): the folded word and its neighbours at ±1 and ±2, the word
 * bigrams around it, 2- and 3-char prefix and suffix, a word shape (digits, length), its casing
 * (only when the message is mixed-case: in lower-cased chats casing says nothing), its position
 * and the message length, and whether the word is a common word (a vocabulary of words frequent in
 * the intent corpora, stored with the weights: a word the tagger never saw in training is still
 * known to be ordinary). Digits are reduced to their count, so phone numbers and ids are never
 * memorised. Immutable and thread-safe; the model id is a hash of the serialised weights.
 */
public final class EntityTagger {
  static final int MAGIC = 0x4C515431; // "LQT1"
  public static final String[] TAGS = {"O", "B-PER", "I-PER", "B-ORG", "I-ORG"};
  static final int K = TAGS.length;
  /** Feature templates per token (fixed: the order is part of the model format). */
  static final int NF = 25;

  final int bits;
  /** Sorted hashes of common folded words (see {@link #vocabulary}). */
  final long[] vocab;
  /** Emission weights, [bucket * K + tag]. */
  final float[] weights;
  /** Transition weights, [(prev + 1) * K + tag]; prev = -1 is the start. */
  final float[] trans;
  /** The emission weights, compactly (what {@link #tag} reads). */
  final SparseRows rows;
  private final String id;

  EntityTagger(int bits, long[] vocab, float[] weights, float[] trans, SparseRows rows, String id) {
    this.bits = bits;
    this.vocab = vocab;
    this.weights = weights;
    this.trans = trans;
    this.rows = rows;
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** A tagged entity: token range [from, to), tag type "PER" or "ORG", mean per-token margin over O. */
  public record Span(String type, int from, int to, double margin) {}

  /**
   * Slot confidence of a tagged span from its mean per-token margin over O: 0.45 at no margin
   * rising to 0.8, below the rules' self-introduction patterns (0.85-0.9), since the tagger's
   * held-out precision is 0.6-0.9 depending on the data set.
   */
  public static double confidence(double margin) {
    return Math.round((0.45 + 0.35 * (1 - Math.exp(-Math.max(0, margin) / 20.0))) * 1000.0) / 1000.0;
  }

  // ------------------------------------------------------------------ features

  private static final long BOS = Tokens.hashOf("\u0002bos");
  private static final long EOS = Tokens.hashOf("\u0003eos");

  static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  private static long f(int template, long a) {
    return mix(a * 0x9E3779B97F4A7C15L + template);
  }

  private static long f(int template, long a, long b) {
    return mix((a * 0x9E3779B97F4A7C15L + b) * 31 + template);
  }

  /** Word identity, with digits reduced to a shape. */
  private static long word(Tokens t, int i) {
    if (i < 0) {
      return BOS;
    }
    if (i >= t.size) {
      return EOS;
    }
    int digits = 0;
    for (int k = t.start[i]; k < t.end[i]; k++) {
      char c = t.chars[k];
      if (c >= '0' && c <= '9') {
        digits++;
      }
    }
    return digits == 0 ? t.hash[i] : mix(0x5DEECE66DL + Math.min(digits, 12) * 2L + (digits == t.length(i) ? 0 : 1));
  }

  private static long affix(Tokens t, int i, int len, boolean suffix) {
    int s = t.start[i];
    int e = t.end[i];
    if (e - s <= len) {
      return Tokens.FNV_OFFSET + len * 7L + (suffix ? 1 : 0);
    }
    long h = Tokens.FNV_OFFSET;
    int from = suffix ? e - len : s;
    for (int k = from; k < from + len; k++) {
      h = (h ^ t.chars[k]) * Tokens.FNV_PRIME;
    }
    return h;
  }

  /** Casing of token i in the original text: 1 Capitalised, 2 ALLCAPS, 3 lower, 4 digit-initial. */
  private static int casing(String text, Tokens t, int i) {
    if (i < 0 || i >= t.size) {
      return 0;
    }
    char c0 = text.charAt(t.start[i]);
    if (Character.isDigit(c0)) {
      return 4;
    }
    if (!Character.isUpperCase(c0)) {
      return 3;
    }
    for (int k = t.start[i] + 1; k < t.end[i]; k++) {
      if (Character.isLowerCase(text.charAt(k))) {
        return 1;
      }
    }
    return t.length(i) == 1 ? 1 : 2;
  }

  /** True when the text has both upper- and lower-case letters (casing is informative). */
  static boolean mixedCase(String text) {
    boolean up = false;
    boolean low = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isUpperCase(c)) {
        up = true;
      } else if (Character.isLowerCase(c)) {
        low = true;
      }
      if (up && low) {
        return true;
      }
    }
    return false;
  }

  /** Per token: 1 digits, 2 a common word, 3 any other word; returns whether any token may be a name (see {@link #tag}). */
  static boolean vocabClasses(String text, Tokens t, long[] vocab, int[] out) {
    boolean candidate = false;
    for (int i = 0; i < t.size; i++) {
      char c0 = t.chars[t.start[i]];
      if (c0 >= '0' && c0 <= '9') {
        out[i] = 1;
      } else if (java.util.Arrays.binarySearch(vocab, t.hash[i]) >= 0) {
        out[i] = 2;
        candidate |= i > 0 && t.length(i) > 1 && Character.isUpperCase(text.charAt(t.start[i])) && !sentenceStart(text, t.start[i]);
      } else {
        out[i] = 3;
        candidate = true;
      }
    }
    return candidate;
  }

  private static boolean sentenceStart(String text, int at) {
    int i = at - 1;
    while (i >= 0 && (text.charAt(i) == ' ' || text.charAt(i) == '"' || text.charAt(i) == '\'')) {
      i--;
    }
    return i < 0 || ".!?\n:;".indexOf(text.charAt(i)) >= 0;
  }

  private static int vocabClass(int[] vc, int n, int i) {
    return i < 0 || i >= n ? 0 : vc[i];
  }

  /**
   * The common-word vocabulary: folded words seen at least {@code minCount} times in the given
   * texts, leaving out words written capitalised inside a sentence more often than not (proper
   * nouns). Sorted token hashes.
   */
  public static long[] vocabulary(Iterable<String> texts, int minCount) {
    java.util.Map<Long, int[]> seen = new java.util.HashMap<>();
    for (String text : texts) {
      Tokens t = Tokens.of(dev.leadqual.udfs.text.Fold.fold(text));
      for (int i = 0; i < t.size; i++) {
        int[] c = seen.computeIfAbsent(t.hash[i], h -> new int[2]);
        c[0]++;
        if (i > 0 && Character.isUpperCase(text.charAt(t.start[i])) && !mixedCaseAllCaps(text)) {
          c[1]++;
        }
      }
    }
    return seen.entrySet().stream().filter(e -> e.getValue()[0] >= minCount && e.getValue()[1] * 2 < e.getValue()[0])
        .mapToLong(java.util.Map.Entry::getKey).sorted().toArray();
  }

  private static boolean mixedCaseAllCaps(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isLowerCase(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static int biasBucket(int bits) {
    return (int) f(0, 1) & ((1 << bits) - 1);
  }

  /** Writes NF bucket indices per token into out[i * NF + j]; out must hold t.size * NF ints. */
  static void features(String text, Tokens t, int bits, long[] vocab, int[] out) {
    int[] vc = new int[t.size];
    vocabClasses(text, t, vocab, vc);
    features(text, t, bits, vc, out);
  }

  private static void features(String text, Tokens t, int bits, int[] vc, int[] out) {
    int mask = (1 << bits) - 1;
    boolean mixed = mixedCase(text);
    int n = t.size;
    long lenBucket = n == 1 ? 1 : n == 2 ? 2 : n <= 4 ? 3 : n <= 8 ? 4 : n <= 16 ? 5 : 6;
    for (int i = 0; i < n; i++) {
      long w0 = word(t, i);
      long wm1 = word(t, i - 1);
      long wm2 = word(t, i - 2);
      long wp1 = word(t, i + 1);
      long wp2 = word(t, i + 2);
      int c0 = mixed ? casing(text, t, i) : 0;
      int cm1 = mixed ? casing(text, t, i - 1) : 0;
      int cp1 = mixed ? casing(text, t, i + 1) : 0;
      long len = Math.min(t.length(i), 10);
      int o = i * NF;
      out[o] = biasBucket(bits); // bias
      out[o + 1] = (int) f(1, w0) & mask;
      out[o + 2] = (int) f(2, wm1) & mask;
      out[o + 3] = (int) f(3, wp1) & mask;
      out[o + 4] = (int) f(4, wm2) & mask;
      out[o + 5] = (int) f(5, wp2) & mask;
      out[o + 6] = (int) f(6, wm1, w0) & mask;
      out[o + 7] = (int) f(7, w0, wp1) & mask;
      out[o + 8] = (int) f(8, wm2, wm1) & mask;
      out[o + 9] = (int) f(9, wp1, wp2) & mask;
      out[o + 10] = (int) f(10, affix(t, i, 3, true)) & mask;
      out[o + 11] = (int) f(11, affix(t, i, 2, true)) & mask;
      out[o + 12] = (int) f(12, affix(t, i, 3, false)) & mask;
      out[o + 13] = (int) f(13, affix(t, i, 2, false)) & mask;
      out[o + 14] = (int) f(14, len, w0 == t.hash[i] ? 0 : 1) & mask;
      out[o + 15] = (int) f(15, c0, mixed ? 1 : 0) & mask;
      out[o + 16] = (int) f(16, c0 * 8 + cm1, cp1) & mask;
      out[o + 17] = (int) f(17, c0, i == 0 ? 1 : 0) & mask;
      out[o + 18] = (int) f(18, lenBucket, (i == 0 ? 1 : 0) + (i == n - 1 ? 2 : 0)) & mask;
      out[o + 19] = (int) f(19, lenBucket, w0) & mask;
      out[o + 20] = (int) f(20, wm1, c0) & mask;
      out[o + 21] = (int) f(21, affix(t, i, 3, true), c0) & mask;
      int v0 = vc[i];
      out[o + 22] = (int) f(22, v0 * 8 + c0, lenBucket) & mask;
      out[o + 23] = (int) f(23, vocabClass(vc, n, i - 1) * 16 + v0 * 4 + vocabClass(vc, n, i + 1)) & mask;
      out[o + 24] = (int) f(24, v0, wm1) & mask;
    }
  }

  // ------------------------------------------------------------------ decoding

  private static final ThreadLocal<int[]> FEATS = ThreadLocal.withInitial(() -> new int[64 * NF]);
  private static final ThreadLocal<double[]> SCORES = ThreadLocal.withInitial(() -> new double[64 * K * 3]);

  private static final ThreadLocal<int[]> CLASSES = ThreadLocal.withInitial(() -> new int[64]);

  /**
   * Tags the tokens and appends the entity spans to {@code out}. Messages of more than four words
   * made only of common words (numbers aside) with no capitalised word after a sentence start are
   * not tagged at all: that keeps the cost off most messages ("the widget is not loading on our
   * website") and common words alone are rarely a name there. Short replies are always tagged:
   * they are cheap, and "james" on its own is the typical answer to "what is your name?".
   */
  public void tag(String text, Tokens t, List<Span> out) {
    int n = t.size;
    if (n == 0) {
      return;
    }
    int[] vc = CLASSES.get();
    if (vc.length < n) {
      vc = new int[n * 2];
      CLASSES.set(vc);
    }
    if (!vocabClasses(text, t, vocab, vc) && n > 4) {
      return;
    }
    int[] feats = FEATS.get();
    if (feats.length < n * NF) {
      feats = new int[n * NF * 2];
      FEATS.set(feats);
    }
    double[] buf = SCORES.get();
    if (buf.length < n * K * 3) {
      buf = new double[n * K * 6];
      SCORES.set(buf);
    }
    features(text, t, bits, vc, feats);
    int[] tags = new int[n];
    emissions(rows, feats, n, buf);
    viterbi(trans, n, buf, tags);
    spans(tags, n, buf, out);
  }

  /** Emission scores into buf[0 .. n*K), Viterbi into tags; buf must hold n*K*3 doubles. */
  static void decode(float[] w, float[] tr, int[] feats, int n, double[] buf, int[] tags) {
    int em = 0;
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < K; c++) {
        buf[em + i * K + c] = 0;
      }
      int o = i * NF;
      for (int j = 0; j < NF; j++) {
        if (feats[o + j] < 0) {
          continue; // hidden in training (word dropout)
        }
        int base = feats[o + j] * K;
        for (int c = 0; c < K; c++) {
          buf[em + i * K + c] += w[base + c];
        }
      }
    }
    viterbi(tr, n, buf, tags);
  }

  /** {@link #decode}'s emission scores from the compact weights: the same sums (all-zero rows add nothing). */
  static void emissions(SparseRows w, int[] feats, int n, double[] buf) {
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < K; c++) {
        buf[i * K + c] = 0;
      }
      int o = i * NF;
      for (int j = 0; j < NF; j++) {
        int base = feats[o + j] < 0 ? -1 : w.offset(feats[o + j]);
        if (base < 0) {
          continue;
        }
        for (int c = 0; c < K; c++) {
          buf[i * K + c] += w.weight(base, c);
        }
      }
    }
  }

  /** Viterbi over the emission scores in buf[0 .. n*K) into tags. */
  static void viterbi(float[] tr, int n, double[] buf, int[] tags) {
    int em = 0;
    int dp = n * K;
    int bp = 2 * n * K;
    for (int c = 0; c < K; c++) {
      buf[dp + c] = allowed(-1, c) ? tr[c] + buf[em + c] : Double.NEGATIVE_INFINITY;
    }
    for (int i = 1; i < n; i++) {
      for (int c = 0; c < K; c++) {
        double best = Double.NEGATIVE_INFINITY;
        int arg = 0;
        for (int p = 0; p < K; p++) {
          if (!allowed(p, c)) {
            continue;
          }
          double v = buf[dp + (i - 1) * K + p] + tr[(p + 1) * K + c];
          if (v > best) {
            best = v;
            arg = p;
          }
        }
        buf[dp + i * K + c] = best + buf[em + i * K + c];
        buf[bp + i * K + c] = arg;
      }
    }
    int last = 0;
    for (int c = 1; c < K; c++) {
      if (buf[dp + (n - 1) * K + c] > buf[dp + (n - 1) * K + last]) {
        last = c;
      }
    }
    tags[n - 1] = last;
    for (int i = n - 1; i > 0; i--) {
      tags[i - 1] = (int) buf[bp + i * K + tags[i]];
    }
  }

  /** I-X may only follow B-X or I-X. */
  static boolean allowed(int prev, int tag) {
    if (tag == 2) {
      return prev == 1 || prev == 2;
    }
    if (tag == 4) {
      return prev == 3 || prev == 4;
    }
    return true;
  }

  private static void spans(int[] tags, int n, double[] emissions, List<Span> out) {
    int i = 0;
    while (i < n) {
      int tg = tags[i];
      if (tg == 1 || tg == 3) {
        int j = i + 1;
        while (j < n && tags[j] == tg + 1) {
          j++;
        }
        double margin = 0;
        for (int k = i; k < j; k++) {
          margin += emissions[k * K + tags[k]] - emissions[k * K];
        }
        out.add(new Span(tg == 1 ? "PER" : "ORG", i, j, margin / (j - i)));
        i = j;
      } else {
        i++;
      }
    }
  }

  // ------------------------------------------------------------------ persistence

  /** Deterministic serialisation: sparse weights as 16-bit fixed point, then gzip. */
  static byte[] serialise(int bits, long[] vocab, float[] weights, float[] trans) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bos);
    out.writeInt(MAGIC);
    out.writeInt(bits);
    out.writeInt(K);
    out.writeInt(NF);
    out.writeInt(vocab.length);
    for (long v : vocab) {
      out.writeLong(v);
    }
    for (float x : trans) {
      out.writeFloat(x);
    }
    float max = 1e-9f;
    for (float x : weights) {
      max = Math.max(max, Math.abs(x));
    }
    float scale = max / 32767f;
    out.writeFloat(scale);
    int nonZero = 0;
    for (float x : weights) {
      if (Math.round(x / scale) != 0) {
        nonZero++;
      }
    }
    out.writeInt(nonZero);
    int prev = -1;
    for (int i = 0; i < weights.length; i++) {
      int q = Math.round(weights[i] / scale);
      if (q != 0) {
        writeVarInt(out, i - prev);
        out.writeShort(q);
        prev = i;
      }
    }
    out.flush();
    return bos.toByteArray();
  }

  private static void writeVarInt(DataOutputStream out, int v) throws IOException {
    while ((v & ~0x7F) != 0) {
      out.writeByte((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.writeByte(v);
  }

  private static int readVarInt(DataInputStream in) throws IOException {
    int v = 0;
    int shift = 0;
    int b;
    do {
      b = in.readUnsignedByte();
      v |= (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    return v;
  }

  public static void write(OutputStream os, EntityTagger m) throws IOException {
    byte[] raw = serialise(m.bits, m.vocab, m.weights, m.trans);
    GZIPOutputStream gz = new GZIPOutputStream(os) {
      {
        def.setLevel(9);
      }
    };
    gz.write(raw);
    gz.finish();
  }

  public static EntityTagger read(InputStream is) throws IOException {
    byte[] raw = new GZIPInputStream(is).readAllBytes();
    return fromRaw(raw);
  }

  private static EntityTagger fromRaw(byte[] raw) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw));
    if (in.readInt() != MAGIC) {
      throw new IOException("not a LeadQual entity tagger");
    }
    int bits = in.readInt();
    if (in.readInt() != K || in.readInt() != NF) {
      throw new IOException("entity tagger format does not match this code (tags or feature templates)");
    }
    long[] vocab = new long[in.readInt()];
    for (int i = 0; i < vocab.length; i++) {
      vocab[i] = in.readLong();
    }
    float[] trans = new float[(K + 1) * K];
    for (int i = 0; i < trans.length; i++) {
      trans[i] = in.readFloat();
    }
    float scale = in.readFloat();
    int nonZero = in.readInt();
    float[] w = new float[(1 << bits) * K];
    short[] q = new short[w.length];
    int idx = -1;
    for (int i = 0; i < nonZero; i++) {
      idx += readVarInt(in);
      q[idx] = in.readShort();
      w[idx] = q[idx] * scale;
    }
    return new EntityTagger(bits, vocab, w, trans, new SparseRows(q, K, scale), "lqt-" + HashedLinearModel.sha256(raw).substring(0, 12));
  }

  /** A tagger from in-memory weights (training and evaluation), quantised as when written. */
  public static EntityTagger of(int bits, long[] vocab, float[] weights, float[] trans) {
    try {
      return fromRaw(serialise(bits, vocab, weights, trans));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
