package dev.leadqual.udfs.understand;

import java.util.List;

/** Thread-safe, immutable after construction. Build once per operator with {@link #loadDefault()}. */
public final class Understander {

  private Understander() {}

  /** Loads the committed model and the default product catalogue from the classpath. */
  public static Understander loadDefault() {
    return new Understander();
  }

  /**
   * @param text the message text
   * @param languageHint ISO 639-1 code or locale like "de-DE", nullable
   * @param sentAtEpochMillis the message time, used to resolve relative dates
   */
  public Understanding understand(String text, String languageHint, long sentAtEpochMillis) {
    return new Understanding("other", "out_of_scope", 0.5, "en", 0.5, 0.0, "low", false, false, List.of());
  }

  /** Model id (hash), for audit records. */
  public String modelId() {
    return "stub";
  }
}
