package dev.leadqual.udfs.understand;

import dev.leadqual.udfs.text.Fold;
import dev.leadqual.udfs.text.Tokens;
import java.util.List;
import java.util.Random;

/**
 * Trains a {@link HashedLinearModel}: multinomial logistic regression, AdaGrad, L2, fixed seed and
 * fixed example order, so the same rows give the same weights (and model id).
 */
public final class Trainer {
  /** One training row. */
  public record Row(String text, int label, double weight) {}

  private final int bits;
  private final String[] labels;
  private int epochs = 8;
  private double learningRate = 0.5;
  private double l2 = 1e-6;
  private long seed = 42;

  public Trainer(int bits, String[] labels) {
    this.bits = bits;
    this.labels = labels;
  }

  public Trainer epochs(int e) {
    this.epochs = e;
    return this;
  }

  public Trainer l2(double v) {
    this.l2 = v;
    return this;
  }

  public HashedLinearModel train(List<Row> rows) {
    int k = labels.length;
    int d = 1 << bits;
    float[] w = new float[d * k];
    float[] g2 = new float[d * k];
    float[] b = new float[k];
    float[] bg2 = new float[k];
    int[][] feats = new int[rows.size()][];
    int[] counts = new int[rows.size()];
    int[][] holder = {new int[256]};
    for (int i = 0; i < rows.size(); i++) {
      Tokens t = Tokens.of(Fold.fold(rows.get(i).text()));
      int n = HashedLinearModel.features(t, bits, holder);
      feats[i] = java.util.Arrays.copyOf(holder[0], n);
      counts[i] = n;
    }
    int[] order = new int[rows.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random rnd = new Random(seed);
    double[] p = new double[k];
    for (int ep = 0; ep < epochs; ep++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
      for (int oi : order) {
        Row r = rows.get(oi);
        int[] f = feats[oi];
        int n = counts[oi];
        double scale = n == 0 ? 0 : 1.0 / Math.sqrt(n);
        for (int c = 0; c < k; c++) {
          p[c] = b[c];
        }
        for (int q = 0; q < n; q++) {
          int base = f[q] * k;
          for (int c = 0; c < k; c++) {
            p[c] += w[base + c] * scale;
          }
        }
        HashedLinearModel.softmax(p, k);
        for (int c = 0; c < k; c++) {
          double grad = (p[c] - (c == r.label() ? 1 : 0)) * r.weight();
          bg2[c] += (float) (grad * grad);
          b[c] -= (float) (learningRate * grad / Math.sqrt(bg2[c] + 1e-8));
          double gs = grad * scale;
          for (int q = 0; q < n; q++) {
            int idx = f[q] * k + c;
            double gg = gs + l2 * w[idx];
            g2[idx] += (float) (gg * gg);
            w[idx] -= (float) (learningRate * gg / Math.sqrt(g2[idx] + 1e-8));
          }
        }
      }
    }
    return HashedLinearModel.of(bits, labels, w, b);
  }

  /** Raw weights for writing an artifact: trains and returns [weights, bias] via the model. */
  public static float[] weightsOf(HashedLinearModel m) {
    return m.weights;
  }

  public static float[] biasOf(HashedLinearModel m) {
    return m.bias;
  }
}
