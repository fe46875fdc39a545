package dev.leadqual.udfs.normalise;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/** Why a decoded native ChatEvent is unusable; empty when it is fine. Reasons never contain text. */
public final class ChatEventValidator {
  /** Largest accepted message text, in UTF-8 bytes. */
  public static final int MAX_TEXT_BYTES = 64 * 1024;
  /** Earliest plausible timestamp: 2000-01-01. */
  static final long MIN_EPOCH_MILLIS = 946_684_800_000L;
  /** Latest plausible timestamp relative to now: one day of clock skew. */
  static final long MAX_FUTURE_MILLIS = 86_400_000L;
  static final int MAX_ID_LENGTH = 256;

  private ChatEventValidator() {}

  public static Optional<String> problem(ChatEvent e) {
    return problem(e, System.currentTimeMillis());
  }

  /** Same as {@link #problem(ChatEvent)} with an explicit "now" (for tests and replays). */
  public static Optional<String> problem(ChatEvent e, long nowEpochMillis) {
    if (e == null) {
      return Optional.of("null event");
    }
    if (blank(e.getEventId())) {
      return Optional.of("missing event_id");
    }
    if (e.getEventId().length() > MAX_ID_LENGTH) {
      return Optional.of("event_id longer than " + MAX_ID_LENGTH + " chars");
    }
    if (blank(e.getSessionId())) {
      return Optional.of("missing session_id");
    }
    if (e.getSessionId().length() > MAX_ID_LENGTH) {
      return Optional.of("session_id longer than " + MAX_ID_LENGTH + " chars");
    }
    if (blank(e.getTenantId())) {
      return Optional.of("missing tenant_id");
    }
    Instant at = e.getSentAt();
    if (at == null) {
      return Optional.of("missing sent_at");
    }
    long ms = at.toEpochMilli();
    if (ms < MIN_EPOCH_MILLIS) {
      return Optional.of("sent_at before 2000-01-01");
    }
    if (ms > nowEpochMillis + MAX_FUTURE_MILLIS) {
      return Optional.of("sent_at more than a day in the future");
    }
    if (e.getEventType() == ChatEventType.MESSAGE) {
      String text = e.getText();
      if (text == null) {
        return Optional.of("MESSAGE without text");
      }
      if (text.length() > MAX_TEXT_BYTES / 4
          && text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
        return Optional.of("text over 64 KiB");
      }
      if (!hasVisibleContent(text)) {
        return Optional.of(text.isEmpty() ? "MESSAGE with empty text" : "text has only whitespace or control characters");
      }
    }
    return Optional.empty();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static boolean hasVisibleContent(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isWhitespace(c) && !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT) {
        return true;
      }
    }
    return false;
  }
}
