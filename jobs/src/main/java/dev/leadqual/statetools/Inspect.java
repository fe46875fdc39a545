package dev.leadqual.statetools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leadqual.schema.state.TranscriptTurn;
import dev.leadqual.state.StateLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** {@code state inspect}: what a savepoint holds, in numbers, or one session in full. */
public final class Inspect {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Figures of one savepoint. Byte figures are of session-memory serialised (Avro binary). */
    public record Report(Map<String, Integer> operators, long sessions, long sessionsWithMemory,
            int memoryMin, int memoryP50, int memoryP90, int memoryMax, long memoryTotal,
            long tailTurns, long eventTimers, long dedupSessions, long dedupIds, Map<String, Long> sessionsByTenant) {

        public String render() {
            StringBuilder b = new StringBuilder();
            b.append("operators with state: ").append(operators.keySet()).append('\n');
            b.append(String.format("sessions: %,d (%,d with memory)%n", sessions, sessionsWithMemory));
            b.append(String.format("session-memory bytes per session: min %,d  p50 %,d  p90 %,d  max %,d  (total %,d)%n",
                    memoryMin, memoryP50, memoryP90, memoryMax, memoryTotal));
            b.append(String.format("transcript tail: %,d turns; event-time timers: %,d%n", tailTurns, eventTimers));
            b.append(String.format("dedup: %,d event ids in %,d sessions%n", dedupIds, dedupSessions));
            b.append("sessions by tenant: ").append(sessionsByTenant).append('\n');
            return b.toString();
        }
    }

    private Inspect() {}

    public static Report report(String savepoint, StateTools.Ttls ttls, LongConsumer progress) throws Exception {
        Map<String, Integer> operators = StateTools.operators(savepoint);
        StreamExecutionEnvironment env = StateTools.environment();
        SavepointReader reader = StateTools.reader(env, savepoint);
        List<DataStream<SessionSummary>> parts = new ArrayList<>();
        if (operators.containsKey(StateLayout.QUALIFY_UID)) {
            parts.add(StateTools.qualifyState(reader, ttls).map(Inspect::summarise).name("summarise memory"));
        }
        if (operators.containsKey(StateLayout.DEDUPLICATE_UID)) {
            parts.add(StateTools.dedupState(reader, ttls).map(Inspect::summarise).name("summarise dedup"));
        }
        List<SessionSummary> all = new ArrayList<>();
        if (!parts.isEmpty()) {
            DataStream<SessionSummary> union = parts.size() == 1 ? parts.get(0) : parts.get(0).union(parts.get(1));
            all = StateTools.collect(union, "leadqual state inspect", progress);
        }
        java.util.Set<String> sessions = new java.util.HashSet<>();
        Map<String, Long> byTenant = new java.util.TreeMap<>();
        List<Integer> sizes = new ArrayList<>();
        long tail = 0, timers = 0, dedupSessions = 0, dedupIds = 0, total = 0;
        for (SessionSummary s : all) {
            sessions.add(s.sessionId);
            if (StateLayout.QUALIFY_UID.equals(s.operator)) {
                tail += s.tailTurns;
                timers += s.eventTimers;
                if (s.hasMemory) {
                    sizes.add(s.memoryBytes);
                    total += s.memoryBytes;
                    byTenant.merge(s.tenantId, 1L, Long::sum);
                }
            } else {
                dedupSessions++;
                dedupIds += s.seenEventIds;
            }
        }
        int[] sorted = sizes.stream().mapToInt(Integer::intValue).sorted().toArray();
        return new Report(operators, sessions.size(), sorted.length,
                percentile(sorted, 0), percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 100), total,
                tail, timers, dedupSessions, dedupIds, byTenant);
    }

    /** Nearest-rank percentile; 0 for no values. */
    static int percentile(int[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        if (p <= 0) {
            return sorted[0];
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    /** One session's state as JSON, or null when the savepoint has none for it. */
    public static ObjectNode session(String savepoint, String sessionId, StateTools.Ttls ttls) throws Exception {
        Map<String, Integer> operators = StateTools.operators(savepoint);
        StreamExecutionEnvironment env = StateTools.environment();
        SavepointReader reader = StateTools.reader(env, savepoint);
        List<DataStream<SessionState>> parts = new ArrayList<>();
        if (operators.containsKey(StateLayout.QUALIFY_UID)) {
            parts.add(StateTools.qualifyState(reader, ttls));
        }
        if (operators.containsKey(StateLayout.DEDUPLICATE_UID)) {
            parts.add(StateTools.dedupState(reader, ttls));
        }
        if (parts.isEmpty()) {
            return null;
        }
        DataStream<SessionState> union = parts.size() == 1 ? parts.get(0) : parts.get(0).union(parts.get(1));
        List<SessionState> found = StateTools.collect(
                union.filter(s -> sessionId.equals(s.sessionId)).name("session " + sessionId), "leadqual state inspect", n -> { });
        if (found.isEmpty()) {
            return null;
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("session_id", sessionId);
        for (SessionState s : found) {
            if (s.memory != null) {
                o.set("memory", JSON.readTree(s.memory.toString()));
                o.put("memory_bytes", AvroBytes.size(s.memory));
            }
            if (s.tail != null) {
                ArrayNode turns = o.putArray("transcript_tail");
                for (TranscriptTurn t : s.tail) {
                    turns.add(JSON.readTree(t.toString()));
                }
            }
            if (s.eventTimers != null) {
                ArrayNode timers = o.putArray("event_time_timers");
                s.eventTimers.forEach(timers::add);
            }
            if (s.seenEventIds != null) {
                ObjectNode seen = o.putObject("seen_event_ids");
                s.seenEventIds.forEach(seen::put);
            }
        }
        return o;
    }

    static SessionSummary summarise(SessionState s) {
        SessionSummary out = new SessionSummary();
        out.sessionId = s.sessionId;
        if (s.seenEventIds != null) {
            out.operator = StateLayout.DEDUPLICATE_UID;
            out.tenantId = "";
            out.seenEventIds = s.seenEventIds.size();
            return out;
        }
        out.operator = StateLayout.QUALIFY_UID;
        out.hasMemory = s.memory != null;
        out.tenantId = s.memory == null ? "" : s.memory.getTenantId();
        out.memoryBytes = s.memory == null ? 0 : AvroBytes.size(s.memory);
        out.tailTurns = s.tail == null ? 0 : s.tail.size();
        out.eventTimers = s.eventTimers == null ? 0 : s.eventTimers.size();
        return out;
    }

}
