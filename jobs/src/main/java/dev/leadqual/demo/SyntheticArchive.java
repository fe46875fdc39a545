package dev.leadqual.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leadqual.schema.ChatEvent;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * An archive to try replay and backtest on: the demo's synthetic conversations ({@link
 * SyntheticChats}, no malformed records, no webhooks) written as replay lines, with message times a
 * minute or two apart per session. A third of the conversations end early (the visitor leaves), so
 * scores spread. Optionally synthetic sales outcomes: sales conversations are won more often when
 * they ran to the end, presales ones rarely; support conversations have none. The same seed gives
 * the same archive. It is sample data for trying the tools, not evidence about any policy.
 */
public final class SyntheticArchive {

    /** Counts of what was written. */
    public record Result(long sessions, long messages, long outcomes) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    private SyntheticArchive() {}

    /** Writes {@code sessions} conversations to {@code chats}, and their outcomes to {@code outcomes} if not null. */
    public static Result write(long seed, int sessions, Writer chats, Writer outcomes) throws IOException {
        SyntheticChats generator = new SyntheticChats(seed, 8, 0.0, 0.0);
        Random random = new Random(seed * 31 + 7);
        Map<String, Session> live = new LinkedHashMap<>();
        Map<String, Session> started = new LinkedHashMap<>();
        Instant now = START;
        long messages = 0;
        while (true) {
            now = now.plusMillis(5_000 + (long) (-Math.log(1 - random.nextDouble()) * 10_000));
            SyntheticChats.Event item = (SyntheticChats.Event) generator.next(now);
            ChatEvent e = item.event();
            Session s = started.get(e.getSessionId());
            if (s == null) {
                if (started.size() >= sessions) {
                    if (live.isEmpty()) {
                        break;
                    }
                    continue; // the generator opens new sessions while the last ones finish: skip those
                }
                s = new Session(item.script(), random.nextDouble() < 0.35 ? 2 + random.nextInt(3) : Integer.MAX_VALUE);
                started.put(e.getSessionId(), s);
                live.put(e.getSessionId(), s);
            }
            s.turns++;
            if (s.turns == SyntheticChats.scriptLength(s.script)) {
                live.remove(e.getSessionId());
            }
            if (s.turns > s.keep) {
                s.cut = true;
                continue; // the visitor left early
            }
            ObjectNode line = JSON.createObjectNode();
            line.put("session_id", e.getSessionId());
            line.put("event_id", e.getEventId());
            line.put("tenant_id", e.getTenantId());
            line.put("role", e.getSenderRole().toString());
            line.put("text", e.getText());
            line.put("sent_at", e.getSentAt().toString());
            line.put("language", e.getLocale());
            chats.write(JSON.writeValueAsString(line));
            chats.write('\n');
            messages++;
        }
        long written = 0;
        if (outcomes != null) {
            for (Map.Entry<String, Session> e : started.entrySet()) {
                written += e.getValue().writeOutcome(e.getKey(), random, outcomes);
            }
        }
        return new Result(started.size(), messages, written);
    }

    private static final class Session {
        final String script;
        final int keep;
        int turns;
        boolean cut;

        Session(String script, int keep) {
            this.script = script;
            this.keep = keep;
        }

        /** Sales conversations: a meeting, then won or lost; presales: now and then. Lines written. */
        int writeOutcome(String session, Random random, Writer out) throws IOException {
            double win;
            if (script.startsWith("sales_")) {
                win = cut ? 0.25 : 0.6;
            } else if (script.startsWith("presales_")) {
                win = cut ? 0.05 : 0.2;
            } else {
                return 0;
            }
            if (random.nextDouble() < 0.3) {
                return 0; // no deal recorded
            }
            boolean won = random.nextDouble() < win;
            int lines = 0;
            if (won || random.nextDouble() < 0.5) {
                out.write(JSON.writeValueAsString(JSON.createObjectNode().put("session_id", session).put("outcome", "MEETING_BOOKED")));
                out.write('\n');
                lines++;
            }
            out.write(JSON.writeValueAsString(JSON.createObjectNode().put("session_id", session).put("outcome", won ? "WON" : "LOST")));
            out.write('\n');
            return lines + 1;
        }
    }
}
