package dev.leadqual.udfs.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TyposTest {
  private static final String TEXT = "Hello, how much does the enterprise subscription cost for our marketing department? Thanks";

  @Test
  void deterministicPerSeedAndText() {
    assertThat(Typos.inject(TEXT, 42, 0.3)).isEqualTo(Typos.inject(TEXT, 42, 0.3));
    assertThat(Typos.inject(TEXT, 0, 0)).isEqualTo(TEXT);
  }

  /** Optimal string alignment distance (letters dropped, added, replaced, adjacent ones swapped) of at most one. */
  private static boolean oneEditAtMost(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        if (i == 0 || j == 0) {
          d[i][j] = i + j;
          continue;
        }
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()] <= 1;
  }

  @Test
  void everyLongWordGetsOneEditAtRateOneAndShortWordsNone() {
    String[] in = TEXT.split("[^\\p{L}]+");
    int changed = 0;
    int long5 = 0;
    for (long seed = 0; seed < 20; seed++) {
      String[] out = Typos.inject(TEXT, seed, 1.0).split("[^\\p{L}]+");
      assertThat(out).hasSameSizeAs(in);
      for (int i = 0; i < in.length; i++) {
        if (in[i].length() < Typos.MIN_LETTERS) {
          assertThat(out[i]).isEqualTo(in[i]);
        } else {
          assertThat(oneEditAtMost(in[i], out[i])).as(in[i] + " -> " + out[i]).isTrue();
          changed += out[i].equals(in[i]) ? 0 : 1; // swapping two equal letters changes nothing
          long5++;
        }
      }
    }
    assertThat(long5).isEqualTo(6 * 20);
    assertThat(changed).isGreaterThan(long5 * 9 / 10);
  }
}
