package dev.leadqual.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leadqual.io.JsonLines;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.SenderRole;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Archived conversations as JSON lines, in either of the two formats the tools take (replay,
 * backtest, state bootstrap):
 *
 * <ul>
 *   <li>replay lines: {@code session_id, text}, optional {@code event_id, role, sent_at, tenant_id,
 *       language};
 *   <li>{@code chat.archive} records ({@code ArchivedTurn}): {@code session_id, tenant_id, event_id,
 *       sender_role, redacted_text, sent_at}, also in Avro's JSON encoding (unions written as
 *       {@code {"string": ...}}).
 * </ul>
 *
 * {@code sent_at} is epoch millis or ISO-8601; without it a line is placed one second after the
 * previous line (input order). A line that cannot be used is reported in {@code badLines} with its
 * number and skipped: bad input never stops a run.
 */
public final class ChatLines {

    /** Where lines without {@code sent_at} start (one second apart, in input order). */
    static final Instant DEFAULT_START = Instant.parse("2026-01-01T09:00:00Z");

    private ChatLines() {}

    /** Chat events in input order; {@code sentAtRequired}: a line without {@code sent_at} is bad. */
    public static List<ChatEvent> read(Path input, List<String> badLines, boolean sentAtRequired) throws IOException {
        List<ChatEvent> events = new ArrayList<>();
        Map<String, Integer> turns = new HashMap<>();
        JsonLines.read(input, badLines, (j, n) -> {
            String session = text(j, "session_id");
            String body = text(j, "text") != null ? text(j, "text") : text(j, "redacted_text");
            JsonNode sentAt = value(j, "sent_at");
            if (session == null || body == null || (sentAtRequired && sentAt == null)) {
                return "needs session_id, text (or redacted_text)" + (sentAtRequired ? " and sent_at" : "");
            }
            int turn = turns.merge(session, 1, Integer::sum);
            String role = text(j, "role") != null ? text(j, "role") : text(j, "sender_role");
            events.add(ChatEvent.newBuilder()
                    .setEventId(text(j, "event_id") != null ? text(j, "event_id") : session + "#" + turn)
                    .setSessionId(session)
                    .setTenantId(text(j, "tenant_id") != null ? text(j, "tenant_id") : "default")
                    .setEventType(ChatEventType.MESSAGE)
                    .setSenderRole(role == null ? SenderRole.VISITOR : SenderRole.valueOf(role.trim().toUpperCase(Locale.ROOT)))
                    .setText(body)
                    .setSentAt(sentAt == null ? DEFAULT_START.plusSeconds(n)
                            : sentAt.isNumber() ? Instant.ofEpochMilli(sentAt.asLong()) : Instant.parse(sentAt.asText()))
                    .setLocale(text(j, "language"))
                    .setTraceId(text(j, "trace_id"))
                    .build());
            return null;
        });
        return events;
    }

    /** A field's value, null when absent or null; an Avro-JSON union ({@code {"string": "x"}}) unwrapped. */
    private static JsonNode value(JsonNode j, String field) {
        JsonNode v = j.get(field);
        if (v != null && v.isObject() && v.size() == 1) {
            v = v.elements().next();
        }
        return v == null || v.isNull() ? null : v;
    }

    private static String text(JsonNode j, String field) {
        JsonNode v = value(j, field);
        return v == null ? null : v.asText();
    }
}
