package dev.leadqual.udfs.qualify;

/**
 * A policy document that cannot be used. {@link #getMessage()} is the precise reason, prefixed with
 * the path of the offending element, e.g. {@code scoring.weights.intnet: unknown key (allowed:
 * intent, slots, ...)}. The active policy stays in force; the reason goes to the dead-letter topic.
 */
public final class PolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String path;

  public PolicyException(String path, String reason) {
    super(path == null || path.isEmpty() ? reason : path + ": " + reason);
    this.path = path == null ? "" : path;
  }

  public PolicyException(String reason, Throwable cause) {
    super(reason, cause);
    this.path = "";
  }

  /** Where in the document the problem is ("" for the document as a whole). */
  public String path() {
    return path;
  }
}
