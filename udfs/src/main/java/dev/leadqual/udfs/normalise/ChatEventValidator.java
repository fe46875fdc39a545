package dev.leadqual.udfs.normalise;

import dev.leadqual.schema.ChatEvent;
import java.util.Optional;

/** Why a decoded native ChatEvent is unusable. */
public final class ChatEventValidator {
  private ChatEventValidator() {}

  public static Optional<String> problem(ChatEvent e) {
    return Optional.empty();
  }
}
