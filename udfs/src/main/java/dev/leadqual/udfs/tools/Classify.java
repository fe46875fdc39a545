package dev.leadqual.udfs.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leadqual.udfs.understand.Slot;
import dev.leadqual.udfs.understand.Understander;
import dev.leadqual.udfs.understand.Understanding;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Classifies JSON lines: one object per input line with {@code text} (required) and optional
 * {@code id}, {@code language}, {@code sent_at} (ISO-8601 or epoch millis) and {@code asked_slot}
 * (the slot the bot asked for just before this message, e.g. {@code budget} or {@code contact}: a
 * terse answer such as "150k" is then read as that slot, see {@link Understander#understand(String,
 * String, long, String)}). Writes one object per
 * input line, in order: {@code id} (echoed, else the 1-based line number), {@code category},
 * {@code intent}, {@code confidence}, {@code language}, {@code sentiment}, {@code urgency},
 * {@code wants_human}, {@code wants_sales}, {@code slots} (keyed by slot name: value, text, start,
 * end, confidence; the first of each name). A bad line gives {@code {"id":..., "error":"..."}} and
 * processing goes on. Streams: memory does not grow with the input.
 */
public final class Classify {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private Classify() {}

  public static void run(Reader in, Writer out, LongConsumer progress) {
    run(Understander.loadDefault(), in, out, progress);
  }

  public static void run(Understander u, Reader in, Writer out, LongConsumer progress) {
    BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
    long now = System.currentTimeMillis();
    try {
      String line;
      long n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        out.write(classifyLine(u, line, n, now));
        out.write('\n');
        if (progress != null) {
          progress.accept(n);
        }
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String classifyLine(Understander u, String line, long lineNo, long now) throws IOException {
    JsonNode idNode = null;
    String error;
    try {
      JsonNode node = MAPPER.readTree(line);
      if (node == null || !node.isObject()) {
        return error(null, lineNo, "line is not a JSON object");
      }
      idNode = node.get("id");
      JsonNode text = node.get("text");
      if (text == null || text.isNull()) {
        return error(idNode, lineNo, "missing text");
      }
      if (!text.isTextual()) {
        return error(idNode, lineNo, "text is not a string");
      }
      String lang = node.hasNonNull("language") ? node.get("language").asText() : null;
      long sentAt = now;
      JsonNode sa = node.get("sent_at");
      if (sa != null && !sa.isNull()) {
        Long parsed = sentAt(sa);
        if (parsed == null) {
          return error(idNode, lineNo, "sent_at is neither ISO-8601 nor epoch millis");
        }
        sentAt = parsed;
      }
      JsonNode asked = node.get("asked_slot");
      if (asked != null && !asked.isNull() && !asked.isTextual()) {
        return error(idNode, lineNo, "asked_slot is not a string");
      }
      String askedSlot = asked == null || asked.isNull() || asked.asText().isBlank() ? null : asked.asText().strip();
      Understanding x = u.understand(text.asText(), lang, sentAt, askedSlot);
      return result(idNode, lineNo, x);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      error = "invalid JSON";
    }
    return error(idNode, lineNo, error);
  }

  static Long sentAt(JsonNode sa) {
    if (sa.isIntegralNumber()) {
      return sa.asLong();
    }
    if (sa.isTextual()) {
      String s = sa.asText().trim();
      if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
        return Long.parseLong(s);
      }
      try {
        return Instant.parse(s).toEpochMilli();
      } catch (DateTimeParseException e) {
        try {
          return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException e2) {
          try {
            return java.time.LocalDate.parse(s).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
          } catch (DateTimeParseException e3) {
            return null;
          }
        }
      }
    }
    return null;
  }

  private static void writeId(JsonGenerator g, JsonNode id, long lineNo) throws IOException {
    g.writeFieldName("id");
    if (id == null || id.isNull() || id.isContainerNode()) {
      g.writeNumber(lineNo);
    } else {
      MAPPER.writeTree(g, id);
    }
  }

  private static String error(JsonNode id, long lineNo, String message) throws IOException {
    StringWriter sw = new StringWriter(64);
    try (JsonGenerator g = FACTORY.createGenerator(sw)) {
      g.writeStartObject();
      writeId(g, id, lineNo);
      g.writeStringField("error", message);
      g.writeEndObject();
    }
    return sw.toString();
  }

  private static String result(JsonNode id, long lineNo, Understanding x) throws IOException {
    StringWriter sw = new StringWriter(256);
    try (JsonGenerator g = FACTORY.createGenerator(sw)) {
      g.writeStartObject();
      writeId(g, id, lineNo);
      g.writeStringField("category", x.category());
      g.writeStringField("intent", x.intent());
      g.writeNumberField("confidence", x.confidence());
      g.writeStringField("language", x.language());
      g.writeNumberField("sentiment", x.sentiment());
      g.writeStringField("urgency", x.urgency());
      g.writeBooleanField("wants_human", x.wantsHuman());
      g.writeBooleanField("wants_sales", x.wantsSales());
      g.writeObjectFieldStart("slots");
      Set<String> done = new HashSet<>();
      for (Slot s : x.slots()) {
        if (!done.add(s.name())) {
          continue;
        }
        g.writeObjectFieldStart(s.name());
        g.writeStringField("value", s.value());
        g.writeStringField("text", s.text());
        g.writeNumberField("start", s.start());
        g.writeNumberField("end", s.end());
        g.writeNumberField("confidence", s.confidence());
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    return sw.toString();
  }

  /** {@code java ... Classify < in.jsonl > out.jsonl} */
  public static void main(String[] args) {
    Writer out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), 1 << 16);
    run(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8), out, null);
  }
}
