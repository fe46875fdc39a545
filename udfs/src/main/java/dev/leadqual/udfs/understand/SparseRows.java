package dev.leadqual.udfs.understand;

/**
 * A hashed weight table ({@code rows × width}, 16-bit fixed point times one scale, as the model files
 * store it) where most rows are all zero, laid out so that a lookup touches little memory: one bit
 * per row says whether it has any weight, and only those rows' weights are kept, packed. The
 * dense tables (4–5 MB of floats each) miss the CPU caches on nearly every lookup once other work
 * runs between messages; this layout is ~0.7 MB, and a lookup of an all-zero row (three in four)
 * reads only the 32 KB bitmap. A weight is {@code q * scale} in float, exactly the float the dense
 * table holds. Immutable.
 */
final class SparseRows {
  final int width;
  private final long[] present;
  /** Rows present before each 64-row word. */
  private final int[] before;
  private final short[] q;
  private final float scale;

  /** @param dense quantised weights, {@code [row * width + c]} */
  SparseRows(short[] dense, int width, float scale) {
    this.width = width;
    this.scale = scale;
    int rows = dense.length / width;
    present = new long[(rows + 63) >>> 6];
    int count = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        if (dense[r * width + c] != 0) {
          present[r >>> 6] |= 1L << r;
          count++;
          break;
        }
      }
    }
    before = new int[present.length];
    q = new short[count * width];
    int k = 0;
    for (int w = 0; w < present.length; w++) {
      before[w] = k;
      k += Long.bitCount(present[w]);
    }
    int at = 0;
    for (int r = 0; r < rows; r++) {
      if ((present[r >>> 6] & (1L << r)) != 0) {
        System.arraycopy(dense, r * width, q, at, width);
        at += width;
      }
    }
  }

  /** Where row {@code r}'s weights start (pass to {@link #weight}), or -1 if they are all zero. */
  int offset(int r) {
    long word = present[r >>> 6];
    long bit = 1L << r;
    if ((word & bit) == 0) {
      return -1;
    }
    return (before[r >>> 6] + Long.bitCount(word & (bit - 1))) * width;
  }

  /** Weight {@code c} of the row at {@code offset}. */
  float weight(int offset, int c) {
    return q[offset + c] * scale;
  }
}
