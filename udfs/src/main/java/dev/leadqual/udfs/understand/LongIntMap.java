package dev.leadqual.udfs.understand;

import java.util.Arrays;

/** Open-addressing map from long keys to int values (no boxing on lookup). Not thread-safe for writes. */
final class LongIntMap {
  private long[] keys;
  private int[] values;
  private boolean[] used;
  private int size;

  LongIntMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
    keys = new long[cap];
    values = new int[cap];
    used = new boolean[cap];
  }

  private static int mix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    return (int) k;
  }

  int get(long key, int missing) {
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (used[i]) {
      if (keys[i] == key) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
    return missing;
  }

  void put(long key, int value) {
    if (size * 2 >= keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (used[i]) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    used[i] = true;
    keys[i] = key;
    values[i] = value;
    size++;
  }

  private void grow() {
    long[] ok = keys;
    int[] ov = values;
    boolean[] ou = used;
    keys = new long[ok.length * 2];
    values = new int[ok.length * 2];
    used = new boolean[ok.length * 2];
    size = 0;
    for (int i = 0; i < ok.length; i++) {
      if (ou[i]) {
        put(ok[i], ov[i]);
      }
    }
  }

  int size() {
    return size;
  }

  @Override
  public String toString() {
    return "LongIntMap" + Arrays.toString(new int[] {size});
  }
}
