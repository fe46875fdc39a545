package dev.leadqual.udfs.understand;

import dev.leadqual.udfs.text.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Multinomial logistic regression over hashed features of folded text: word unigrams, word
 * bigrams and character 4-grams inside words (with word-boundary padding). Immutable, thread-safe.
 * Weights are stored as 16-bit fixed point in a gzip'd binary; the model id is a hash of it.
 */
public final class HashedLinearModel {
  static final int MAGIC = 0x4C514D31; // "LQM1"
  private static final long SALT_UNI = 0x1234567L;
  private static final long SALT_BI = 0x7654321L;
  private static final long SALT_CHAR = 0x2468ACEL;
  private static final long SALT_NUM = 0x13579BDL;

  final int bits;
  final int classes;
  final String[] labels;
  final float[] weights; // [bucket * classes + c]
  final float[] bias;
  /** The same weights, compactly (what {@link #predict} reads). */
  final SparseRows rows;
  private final String id;

  HashedLinearModel(int bits, String[] labels, float[] weights, float[] bias, SparseRows rows, String id) {
    this.bits = bits;
    this.classes = labels.length;
    this.labels = labels;
    this.weights = weights;
    this.bias = bias;
    this.rows = rows;
    this.id = id;
  }

  public String id() {
    return id;
  }

  public List<String> labels() {
    return List.of(labels);
  }

  /**
   * Writes the bucket indices of the features of a text into {@code out} (grown as needed) and
   * returns the count. Same code path for training and inference.
   */
  public static int features(Tokens t, int bits, int[][] outHolder) {
    int mask = (1 << bits) - 1;
    int[] out = outHolder[0];
    int n = 0;
    char[] c = t.chars;
    long prev = 0;
    for (int i = 0; i < t.size; i++) {
      int need = n + 2 + t.length(i) + 3;
      if (need > out.length) {
        out = java.util.Arrays.copyOf(out, Math.max(need, out.length * 2));
      }
      boolean num = t.isNumber(i);
      long h = num ? SALT_NUM * 31 + Math.min(t.length(i), 6) : t.hash[i];
      out[n++] = bucket(h ^ SALT_UNI, mask);
      if (i > 0) {
        out[n++] = bucket((prev * 0x9E3779B97F4A7C15L + h) ^ SALT_BI, mask);
      }
      prev = h;
      if (!num && t.length(i) >= 3) {
        int s = t.start[i];
        int e = t.end[i];
        for (int k = s - 1; k + 4 <= e + 1; k++) {
          long g = SALT_CHAR;
          for (int j = k; j < k + 4; j++) {
            char ch = j < s || j >= e ? ' ' : c[j];
            g = (g ^ ch) * Tokens.FNV_PRIME;
          }
          out[n++] = bucket(g, mask);
        }
      }
    }
    outHolder[0] = out;
    return n;
  }

  static int bucket(long h, int mask) {
    h ^= h >>> 31;
    h *= 0x7fb5d329728ea185L;
    h ^= h >>> 27;
    return (int) h & mask;
  }

  /** Class probabilities for the given feature buckets into {@code probs}. */
  public void predict(int[] feats, int n, double[] probs) {
    double scale = n == 0 ? 0 : 1.0 / Math.sqrt(n);
    for (int c = 0; c < classes; c++) {
      probs[c] = bias[c];
    }
    for (int i = 0; i < n; i++) {
      int base = rows.offset(feats[i]);
      if (base < 0) {
        continue; // all weights zero: adds nothing
      }
      for (int c = 0; c < classes; c++) {
        probs[c] += rows.weight(base, c) * scale;
      }
    }
    softmax(probs, classes);
  }

  static void softmax(double[] z, int k) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      max = Math.max(max, z[c]);
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
      z[c] = Math.exp(z[c] - max);
      sum += z[c];
    }
    for (int c = 0; c < k; c++) {
      z[c] /= sum;
    }
  }

  // ------------------------------------------------------------------ persistence

  /** Serialises (deterministically) and returns the raw bytes; the id is derived from them. */
  static byte[] serialise(int bits, String[] labels, float[] weights, float[] bias) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bos);
    out.writeInt(MAGIC);
    out.writeInt(bits);
    out.writeInt(labels.length);
    for (String l : labels) {
      out.writeUTF(l);
    }
    for (float b : bias) {
      out.writeFloat(b);
    }
    float max = 1e-9f;
    for (float w : weights) {
      max = Math.max(max, Math.abs(w));
    }
    float scale = max / 32767f;
    out.writeFloat(scale);
    for (float w : weights) {
      out.writeShort(Math.round(w / scale));
    }
    out.flush();
    return bos.toByteArray();
  }

  public static void write(OutputStream os, int bits, String[] labels, float[] weights, float[] bias) throws IOException {
    byte[] raw = serialise(bits, labels, weights, bias);
    GZIPOutputStream gz = new GZIPOutputStream(os) {
      {
        def.setLevel(9);
      }
    };
    gz.write(raw);
    gz.finish();
  }

  public static HashedLinearModel read(InputStream is) throws IOException {
    byte[] raw = new GZIPInputStream(is).readAllBytes();
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(raw));
    if (in.readInt() != MAGIC) {
      throw new IOException("not a LeadQual model");
    }
    int bits = in.readInt();
    int k = in.readInt();
    String[] labels = new String[k];
    for (int i = 0; i < k; i++) {
      labels[i] = in.readUTF();
    }
    float[] bias = new float[k];
    for (int i = 0; i < k; i++) {
      bias[i] = in.readFloat();
    }
    float scale = in.readFloat();
    float[] w = new float[(1 << bits) * k];
    short[] q = new short[w.length];
    for (int i = 0; i < w.length; i++) {
      q[i] = in.readShort();
      w[i] = q[i] * scale;
    }
    return new HashedLinearModel(bits, labels, w, bias, new SparseRows(q, k, scale), "lqm-" + sha256(raw).substring(0, 12));
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A model from in-memory weights (training and evaluation). */
  public static HashedLinearModel of(int bits, String[] labels, float[] weights, float[] bias) {
    try {
      byte[] raw = serialise(bits, labels, weights, bias);
      return read(new java.io.ByteArrayInputStream(gzip(raw)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
      gz.write(raw);
    }
    return bos.toByteArray();
  }
}
