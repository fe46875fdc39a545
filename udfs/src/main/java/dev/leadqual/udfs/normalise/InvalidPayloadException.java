package dev.leadqual.udfs.normalise;

/** A payload that cannot be turned into chat events. The reason never contains message text. */
public final class InvalidPayloadException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String reason;

  public InvalidPayloadException(String reason) {
    super(reason);
    this.reason = reason;
  }

  public InvalidPayloadException(String reason, Throwable cause) {
    super(reason, cause);
    this.reason = reason;
  }

  /** Short, human readable; never contains message text. */
  public String reason() {
    return reason;
  }
}
