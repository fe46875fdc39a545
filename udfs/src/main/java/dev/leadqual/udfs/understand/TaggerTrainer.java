package dev.leadqual.udfs.understand;

import dev.leadqual.udfs.text.Fold;
import dev.leadqual.udfs.text.Tokens;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Trains an {@link EntityTagger}: averaged structured perceptron over the tagger's own features and
 * Viterbi decoding, fixed seed and fixed row order, so the same rows give the same weights (and id).
 */
public final class TaggerTrainer {
  /** A gold entity: character span [start, end) and type "PER" or "ORG". */
  public record Entity(int start, int end, String type) {}

  /** One training message with its gold entities (all of them: tokens outside are O). */
  public record Row(String text, List<Entity> entities) {}

  private final int bits;
  private final long[] vocab;
  private int epochs = 6;
  private long seed = 42;
  private double wordDropout = 0.3;
  private double entityPrior = 6.0;

  /** @param vocab sorted common-word hashes ({@link EntityTagger#vocabulary}) */
  public TaggerTrainer(int bits, long[] vocab) {
    this.bits = bits;
    this.vocab = vocab;
  }

  public TaggerTrainer epochs(int e) {
    this.epochs = e;
    return this;
  }

  /**
   * Share of tokens whose own word-identity features are hidden in a training pass (a fresh,
   * seeded draw every pass). Without it the perceptron memorises the training names and learns
   * little from context, casing and affixes, which is all it has for a name it has never seen.
   */
  public TaggerTrainer wordDropout(double p) {
    this.wordDropout = p;
    return this;
  }

  /**
   * Subtracted from the O score of every token after training. The perceptron fits its training
   * names and then tags little it has not seen (high precision, low recall); this prior moves the
   * balance. 6 is the largest value that keeps person precision at 0.75 or more on WNUT17's dev
   * split (checked at 0, 3, 6, 10, 15; a wrong name in a handoff costs more than a missed one).
   */
  public TaggerTrainer entityPrior(double p) {
    this.entityPrior = p;
    return this;
  }

  /** The feature templates that name the token itself (hidden by word dropout). */
  private static final int[] IDENTITY_TEMPLATES = {1, 6, 7, 19};

  /** Gold BIO tag indices of the tokens (a token overlapping an entity span belongs to it). */
  public static int[] goldTags(Tokens t, List<Entity> entities) {
    int[] tags = new int[t.size];
    for (Entity e : entities) {
      int b = "PER".equals(e.type()) ? 1 : 3;
      boolean first = true;
      for (int i = 0; i < t.size; i++) {
        if (t.start[i] < e.end() && e.start() < t.end[i] && tags[i] == 0) {
          tags[i] = first ? b : b + 1;
          first = false;
        }
      }
    }
    return tags;
  }

  public EntityTagger train(List<Row> rows) {
    int k = EntityTagger.K;
    int nf = EntityTagger.NF;
    int d = 1 << bits;
    int[][] feats = new int[rows.size()][];
    int[][] gold = new int[rows.size()][];
    for (int r = 0; r < rows.size(); r++) {
      String text = rows.get(r).text();
      Tokens t = Tokens.of(Fold.fold(text));
      feats[r] = new int[t.size * nf];
      EntityTagger.features(text, t, bits, vocab, feats[r]);
      gold[r] = goldTags(t, rows.get(r).entities());
    }
    float[] w = new float[d * k];
    float[] tr = new float[(k + 1) * k];
    // averaging: acc holds sum of (step * update); average = w - acc / step
    double[] wAcc = new double[d * k];
    double[] trAcc = new double[(k + 1) * k];
    int[] order = new int[rows.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random rnd = new Random(seed);
    double[] buf = new double[64 * k * 3];
    int[] pred = new int[64];
    int[] masked = new int[64 * nf];
    long step = 1;
    for (int ep = 0; ep < epochs; ep++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
      for (int oi : order) {
        int[] g = gold[oi];
        int n = g.length;
        if (n == 0) {
          continue;
        }
        if (buf.length < n * k * 3) {
          buf = new double[n * k * 6];
        }
        if (pred.length < n) {
          pred = new int[n * 2];
        }
        int[] f = feats[oi];
        if (wordDropout > 0) {
          if (masked.length < f.length) {
            masked = new int[f.length * 2];
          }
          System.arraycopy(f, 0, masked, 0, f.length);
          for (int i = 0; i < n; i++) {
            if (rnd.nextDouble() < wordDropout) {
              for (int tpl : IDENTITY_TEMPLATES) {
                masked[i * nf + tpl] = -1;
              }
            }
          }
          f = masked;
        }
        EntityTagger.decode(w, tr, f, n, buf, pred);
        if (!Arrays.equals(g, 0, n, pred, 0, n)) {
          for (int i = 0; i < n; i++) {
            int gp = i == 0 ? -1 : g[i - 1];
            int pp = i == 0 ? -1 : pred[i - 1];
            if (g[i] != pred[i]) {
              for (int j = 0; j < nf; j++) {
                if (f[i * nf + j] < 0) {
                  continue;
                }
                int base = f[i * nf + j] * k;
                w[base + g[i]] += 1;
                wAcc[base + g[i]] += step;
                w[base + pred[i]] -= 1;
                wAcc[base + pred[i]] -= step;
              }
            }
            if (g[i] != pred[i] || gp != pp) {
              tr[(gp + 1) * k + g[i]] += 1;
              trAcc[(gp + 1) * k + g[i]] += step;
              tr[(pp + 1) * k + pred[i]] -= 1;
              trAcc[(pp + 1) * k + pred[i]] -= step;
            }
          }
        }
        step++;
      }
    }
    for (int i = 0; i < w.length; i++) {
      w[i] -= (float) (wAcc[i] / step);
    }
    for (int i = 0; i < tr.length; i++) {
      tr[i] -= (float) (trAcc[i] / step);
    }
    w[EntityTagger.biasBucket(bits) * k] -= (float) entityPrior;
    return EntityTagger.of(bits, vocab, w, tr);
  }
}
