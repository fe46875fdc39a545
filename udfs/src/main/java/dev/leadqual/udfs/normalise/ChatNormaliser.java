package dev.leadqual.udfs.normalise;

import dev.leadqual.schema.ChatEvent;
import java.util.List;

/** Turns a platform's JSON payload into zero or more ChatEvents. Thread-safe. */
public final class ChatNormaliser {
  private ChatNormaliser() {}

  public static ChatNormaliser create() {
    return new ChatNormaliser();
  }

  public List<ChatEvent> normalise(byte[] jsonPayload) throws InvalidPayloadException {
    throw new InvalidPayloadException("not implemented");
  }
}
