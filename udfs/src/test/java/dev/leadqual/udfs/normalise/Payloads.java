package dev.leadqual.udfs.normalise;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

final class Payloads {
  private Payloads() {}

  static byte[] load(String path) {
    try (InputStream in = Payloads.class.getResourceAsStream("/payloads/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test payload " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
