package dev.leadqual.udfs.normalise;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Small helpers over Jackson trees. */
final class Json {
  private static final DateTimeFormatter CHATWOOT_UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

  private Json() {}

  static String text(JsonNode n, String... path) {
    JsonNode cur = n;
    for (String p : path) {
      if (cur == null) {
        return null;
      }
      cur = cur.get(p);
    }
    if (cur == null || cur.isNull() || cur.isMissingNode() || cur.isContainerNode()) {
      return null;
    }
    String s = cur.asText();
    return s.isEmpty() ? null : s;
  }

  static JsonNode node(JsonNode n, String... path) {
    JsonNode cur = n;
    for (String p : path) {
      if (cur == null || cur.isNull()) {
        return null;
      }
      cur = cur.get(p);
    }
    return cur == null || cur.isNull() || cur.isMissingNode() ? null : cur;
  }

  /**
   * A timestamp in any of the forms platforms use: epoch seconds (int or fractional), epoch millis,
   * ISO-8601, or Chatwoot's "yyyy-MM-dd HH:mm:ss UTC". Null when absent or unparseable.
   */
  static Instant instant(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isNumber()) {
      double v = n.asDouble();
      if (v > 1e11) {
        return Instant.ofEpochMilli((long) v);
      }
      return Instant.ofEpochMilli(Math.round(v * 1000.0));
    }
    String s = n.asText().trim();
    if (s.isEmpty()) {
      return null;
    }
    if (s.chars().allMatch(Character::isDigit) && s.length() <= 15) {
      long v = Long.parseLong(s);
      return v > 100_000_000_000L ? Instant.ofEpochMilli(v) : Instant.ofEpochSecond(v);
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      // fall through
    }
    try {
      return java.time.OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      // fall through
    }
    try {
      return LocalDateTime.parse(s, CHATWOOT_UTC).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
