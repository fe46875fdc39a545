package dev.leadqual.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leadqual.cli.LocalFlink;
import dev.leadqual.cli.Progress;
import dev.leadqual.config.JobSettings;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.workflow.JobOutputs;
import dev.leadqual.workflow.LeadQualWorkflow;
import dev.leadqual.workflow.OutputSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.CloseableIterator;

/**
 * Replays archived conversations through the real job graph on an embedded Flink with RocksDB: a
 * bounded source of chat events (sorted by time, so event time is right), the same workflow as
 * production, and at the end of input every session closes. The job's own outputs (actions, leads,
 * outcomes, audit) are collected and folded into one line per session.
 */
public final class Replay {

    /** Counts of one run. */
    public record Result(long events, long sessions, long qualified, long badLines) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant DEFAULT_START = Instant.parse("2026-01-01T09:00:00Z");

    private Replay() {}

    public static Result run(Path input, Path policy, String inactivity, Path workDir, Writer out, PrintStream err)
            throws Exception {
        List<String> badLines = new ArrayList<>();
        List<ChatEvent> events = read(input, badLines);
        badLines.forEach(b -> err.println("replay: skipped " + b));
        Set<String> sessions = new LinkedHashSet<>();
        events.forEach(e -> sessions.add(e.getSessionId()));

        Map<String, String> args = new HashMap<>();
        args.put("kafka.bootstrap", "unused:9092");
        args.put("registry.url", "http://unused");
        args.put("session.inactivity", inactivity);
        if (policy != null) {
            args.put("policy.file", policy.toAbsolutePath().toString());
        }
        JobSettings settings = JobSettings.from(args, Map.of());

        StreamExecutionEnvironment env = LocalFlink.environment(
                LocalFlink.configuration(workDir, Duration.ofMinutes(10)), null);
        env.setParallelism(Math.min(2, Runtime.getRuntime().availableProcessors()));
        DataStream<ChatEvent> source = env.fromData(events, new AvroTypeInfo<>(ChatEvent.class)).uid("replay-source");
        List<DataStream<String>> collected = new ArrayList<>();
        LeadQualWorkflow.qualify(source, null, null, settings, new JobOutputs(
                collect(collected, "lead"), collect(collected, "action"), discard("handoffs"),
                collect(collected, "outcome"), discard("metrics"), collect(collected, "audit"), discard("archive"),
                discard("dead-letters")), null);
        DataStream<String> all = collected.get(0);
        for (DataStream<String> s : collected.subList(1, collected.size())) {
            all = all.union(s);
        }

        Map<String, SessionFold> folds = new LinkedHashMap<>();
        sessions.forEach(s -> folds.put(s, new SessionFold(s)));
        long written = 0;
        long qualified = 0;
        try (CloseableIterator<String> it = all.executeAndCollect("LeadQual replay");
                Progress progress = new Progress(err, "replay sessions", sessions.size())) {
            while (it.hasNext()) {
                String line = it.next();
                int bar = line.indexOf('|');
                JsonNode record = JSON.readTree(line.substring(bar + 1));
                String kind = line.substring(0, bar);
                SessionFold fold = folds.computeIfAbsent(record.path("session_id").asText(), SessionFold::new);
                if (fold.add(kind, record)) {
                    out.write(JSON.writeValueAsString(fold.toJson()));
                    out.write('\n');
                    written++;
                    if (fold.qualified) {
                        qualified++;
                    }
                    progress.accept(written);
                }
            }
        }
        return new Result(events.size(), written, qualified, badLines.size());
    }

    private static <T extends SpecificRecord> OutputSink<T> collect(List<DataStream<String>> into, String kind) {
        return stream -> into.add(stream.map(r -> kind + "|" + r.toString()).returns(Types.STRING)
                .uid("replay-to-json-" + kind).name("to-json-" + kind));
    }

    private static <T> OutputSink<T> discard(String what) {
        return stream -> stream.sinkTo(new DiscardingSink<>()).uid("replay-discard-" + what).name("discard " + what);
    }

    /** Reads replay lines; a line without session_id or text is reported and skipped. */
    static List<ChatEvent> read(Path input, List<String> badLines) throws IOException {
        List<ChatEvent> events = new ArrayList<>();
        Map<String, Integer> perSession = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode j = JSON.readTree(line);
                    String session = text(j, "session_id");
                    String text = text(j, "text");
                    if (session == null || text == null) {
                        badLines.add("line " + n + ": needs session_id and text");
                        continue;
                    }
                    int turn = perSession.merge(session, 1, Integer::sum);
                    events.add(ChatEvent.newBuilder()
                            .setEventId(text(j, "event_id") != null ? text(j, "event_id") : session + "#" + turn)
                            .setSessionId(session)
                            .setTenantId(text(j, "tenant_id") != null ? text(j, "tenant_id") : "default")
                            .setEventType(ChatEventType.MESSAGE)
                            .setSenderRole(role(text(j, "role")))
                            .setText(text)
                            .setSentAt(sentAt(j.get("sent_at"), n))
                            .setLocale(text(j, "language"))
                            .build());
                } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
                    badLines.add("line " + n + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }
        events.sort(Comparator.comparing(ChatEvent::getSentAt)); // stable: input order among equal times
        return events;
    }

    private static SenderRole role(String role) {
        return role == null ? SenderRole.VISITOR : SenderRole.valueOf(role.trim().toUpperCase(java.util.Locale.ROOT));
    }

    private static Instant sentAt(JsonNode v, int lineNumber) {
        if (v == null || v.isNull()) {
            return DEFAULT_START.plusSeconds(lineNumber); // input order, one second apart
        }
        return v.isNumber() ? Instant.ofEpochMilli(v.asLong()) : Instant.parse(v.asText());
    }

    private static String text(JsonNode j, String field) {
        JsonNode v = j.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Everything the job said about one session, folded into the replay line. */
    static final class SessionFold {
        final String sessionId;
        final List<String> actions = new ArrayList<>();
        final Map<String, String> slots = new LinkedHashMap<>();
        final Map<String, String> leadSlots = new LinkedHashMap<>();
        boolean qualified;
        JsonNode outcome;

        SessionFold(String sessionId) {
            this.sessionId = sessionId;
        }

        /** @return true when the session closed and its line can be written */
        boolean add(String kind, JsonNode r) {
            switch (kind) {
                case "action" -> actions.add(r.path("action").asText());
                case "lead" -> r.path("slots").fields().forEachRemaining(e -> leadSlots.put(e.getKey(), e.getValue().asText()));
                case "audit" -> r.path("slots").fields().forEachRemaining(e -> slots.put(e.getKey(), e.getValue().asText()));
                case "outcome" -> {
                    outcome = r;
                    qualified = r.path("qualified").asBoolean();
                    return true;
                }
                default -> { }
            }
            return false;
        }

        ObjectNode toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("session_id", sessionId);
            o.put("qualified", qualified);
            o.put("score", outcome.path("final_score").asInt());
            o.put("category", outcome.path("category").asText());
            o.put("final_action", outcome.path("final_action").asText());
            ArrayNode a = o.putArray("actions");
            actions.forEach(a::add);
            ObjectNode s = o.putObject("slots");
            slots.forEach(s::put);
            leadSlots.forEach(s::put); // a lead carries contact details in clear; the audit redacts them
            JsonNode ttq = outcome.get("time_to_qualification_ms");
            if (ttq == null || ttq.isNull()) {
                o.putNull("time_to_qualification_ms");
            } else {
                o.put("time_to_qualification_ms", ttq.isObject() ? ttq.path("long").asLong() : ttq.asLong());
            }
            return o;
        }
    }
}
