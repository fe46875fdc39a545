package dev.leadqual.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leadqual.cli.LocalFlink;
import dev.leadqual.cli.Progress;
import dev.leadqual.config.JobSettings;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.workflow.JobOutputs;
import dev.leadqual.workflow.LeadQualWorkflow;
import dev.leadqual.workflow.OutputSink;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
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
 * handoffs, outcomes, audit) are collected and folded into one {@link SessionFold} per session.
 * Time is event time throughout: inactivity, handoff SLAs and the hourly handoff limit run on the
 * messages' {@code sent_at}, never on the wall clock.
 */
public final class Replay {

    /** Counts of one run. */
    public record Result(long events, long sessions, long qualified, long badLines) {}

    /** One decision of the job on one visitor message, from its audit record (no PII: the text is redacted). */
    public record Step(String eventId, String rule, String action, boolean emitted, int score, String category,
            boolean killSwitch, boolean rateLimited, String redactedText) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private Replay() {}

    /** {@code ./leadqual replay}: every session of {@code input} through the job, one JSON line per closed session. */
    public static Result run(Path input, Path policy, String inactivity, Path workDir, Writer out, PrintStream err)
            throws Exception {
        List<String> badLines = new ArrayList<>();
        List<ChatEvent> events = read(input, badLines);
        badLines.forEach(b -> err.println("replay: skipped " + b));
        List<SessionFold> closed = execute(events, policy, inactivity,
                Math.min(2, Runtime.getRuntime().availableProcessors()), workDir, "replay sessions", err);
        long qualified = 0;
        for (SessionFold fold : closed) {
            out.write(JSON.writeValueAsString(fold.toJson()));
            out.write('\n');
            qualified += fold.qualified ? 1 : 0;
        }
        return new Result(events.size(), closed.size(), qualified, badLines.size());
    }

    /** Replay lines or {@code chat.archive} records ({@link ChatLines}), sorted by time (stable: input order among equal times). */
    public static List<ChatEvent> read(Path input, List<String> badLines) throws IOException {
        List<ChatEvent> events = ChatLines.read(input, badLines, false);
        events.sort(Comparator.comparing(ChatEvent::getSentAt));
        return events;
    }

    /**
     * Runs {@code events} (sorted by time) through the job under {@code policy} (null: the built-in
     * one) and returns every closed session, in the order the sessions closed. Outputs of one
     * session travel on different channels (actions, audit, outcome), so sessions are folded once
     * the bounded job has finished, never at the first outcome; progress counts closed sessions.
     */
    public static List<SessionFold> execute(List<ChatEvent> events, Path policy, String inactivity, int parallelism,
            Path workDir, String progressLabel, PrintStream err) throws Exception {
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
        env.setParallelism(parallelism);
        DataStream<ChatEvent> source = env.fromData(events, new AvroTypeInfo<>(ChatEvent.class)).uid("replay-source");
        List<DataStream<String>> collected = new ArrayList<>();
        LeadQualWorkflow.qualify(source, null, null, settings, new JobOutputs(
                collect(collected, "lead"), collect(collected, "action"), collect(collected, "handoff"),
                collect(collected, "outcome"), discard("metrics"), collect(collected, "audit"), discard("archive"),
                discard("dead-letters")), null);
        DataStream<String> all = collected.get(0);
        for (DataStream<String> s : collected.subList(1, collected.size())) {
            all = all.union(s);
        }

        Map<String, SessionFold> folds = new LinkedHashMap<>();
        sessions.forEach(s -> folds.put(s, new SessionFold(s)));
        List<SessionFold> closed = new ArrayList<>();
        try (CloseableIterator<String> it = all.executeAndCollect("LeadQual replay");
                Progress progress = new Progress(err, progressLabel, sessions.size())) {
            while (it.hasNext()) {
                String line = it.next();
                int bar = line.indexOf('|');
                JsonNode record = JSON.readTree(line.substring(bar + 1));
                String kind = line.substring(0, bar);
                SessionFold fold = folds.computeIfAbsent(record.path("session_id").asText(), SessionFold::new);
                if (fold.add(kind, record)) {
                    closed.add(fold);
                    progress.accept(closed.size());
                }
            }
        }
        return closed;
    }

    private static <T extends SpecificRecord> OutputSink<T> collect(List<DataStream<String>> into, String kind) {
        return stream -> into.add(stream.map(r -> kind + "|" + r.toString()).returns(Types.STRING)
                .uid("replay-to-json-" + kind).name("to-json-" + kind));
    }

    private static <T> OutputSink<T> discard(String what) {
        return stream -> stream.sinkTo(new DiscardingSink<>()).uid("replay-discard-" + what).name("discard " + what);
    }

    /** Everything the job said about one session, folded. */
    public static final class SessionFold {
        final String sessionId;
        final List<String> actions = new ArrayList<>();
        final Map<String, String> slots = new LinkedHashMap<>();
        final Map<String, String> leadSlots = new LinkedHashMap<>();
        final List<Step> steps = new ArrayList<>();
        final Map<String, Double> contributions = new LinkedHashMap<>();
        int handoffs;
        int slaEscalations;
        boolean qualified;
        JsonNode outcome;

        SessionFold(String sessionId) {
            this.sessionId = sessionId;
        }

        /** @return true when this record is the session's outcome (it closed) */
        boolean add(String kind, JsonNode r) {
            switch (kind) {
                case "action" -> actions.add(r.path("action").asText());
                case "lead" -> r.path("slots").fields().forEachRemaining(e -> leadSlots.put(e.getKey(), e.getValue().asText()));
                case "handoff" -> {
                    if (r.path("escalation").asInt() == 0) {
                        handoffs++;
                    } else {
                        slaEscalations++;
                    }
                }
                case "audit" -> {
                    r.path("slots").fields().forEachRemaining(e -> slots.put(e.getKey(), e.getValue().asText()));
                    steps.add(new Step(r.path("event_id").asText(), r.path("rule").asText(), r.path("action").asText(),
                            r.path("emitted").asBoolean(), r.path("score").asInt(), r.path("features").path("category").asText(),
                            r.path("kill_switch").asBoolean(), r.path("rate_limited").asBoolean(),
                            r.path("redacted_text").asText()));
                    contributions.clear();
                    r.path("contributions").forEach(c -> contributions.merge(c.path("signal").asText(),
                            c.path("points").asDouble(), Double::sum));
                }
                case "outcome" -> {
                    outcome = r;
                    qualified = r.path("qualified").asBoolean();
                    return true;
                }
                default -> { }
            }
            return false;
        }

        public String sessionId() {
            return sessionId;
        }

        /** The session's {@code SessionOutcome} as JSON (final score, actions, questions, escalations, ...). */
        public JsonNode outcome() {
            return outcome;
        }

        /** Every decision on a visitor message, in order. */
        public List<Step> steps() {
            return steps;
        }

        /** Score contributions (signal → points) at the session's last decision. */
        public Map<String, Double> contributions() {
            return contributions;
        }

        /** First handoffs to sales (0 or 1). */
        public int handoffs() {
            return handoffs;
        }

        /** Re-escalations of a handoff nobody accepted within the SLA. */
        public int slaEscalations() {
            return slaEscalations;
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
            Long ttq = timeToQualificationMs(outcome);
            if (ttq == null) {
                o.putNull("time_to_qualification_ms");
            } else {
                o.put("time_to_qualification_ms", ttq);
            }
            return o;
        }
    }

    /** The outcome's {@code time_to_qualification_ms}, null when the session never qualified. */
    public static Long timeToQualificationMs(JsonNode outcome) {
        JsonNode ttq = outcome.get("time_to_qualification_ms");
        if (ttq == null || ttq.isNull()) {
            return null;
        }
        return ttq.isObject() ? ttq.path("long").asLong() : ttq.asLong();
    }
}
