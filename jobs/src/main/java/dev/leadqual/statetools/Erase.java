package dev.leadqual.statetools;

import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.SlotMemory;
import dev.leadqual.state.StateLayout;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code state erase}: right to erasure. Writes a new savepoint in which every session of the person
 * (matched by email slot, session id or tenant) has no keyed state left in either keyed operator —
 * memory, transcript tail, timers and seen event ids — while every other session and every other
 * operator's state (e.g. the Kafka source offsets) is carried over as it was.
 */
public final class Erase {

    /** Who to erase; exactly one of the three is set. */
    public record Selector(String email, String session, String tenant) implements Serializable {

        public Selector {
            int set = (email == null ? 0 : 1) + (session == null ? 0 : 1) + (tenant == null ? 0 : 1);
            if (set != 1) {
                throw new IllegalArgumentException("give exactly one of --email, --session, --tenant");
            }
        }

        /** Whether the session's state belongs to the selected person or tenant. */
        public boolean matches(SessionState s) {
            if (session != null) {
                return session.equals(s.sessionId);
            }
            SessionMemory m = s.memory;
            if (m == null) {
                return false;
            }
            if (tenant != null) {
                return tenant.equals(m.getTenantId());
            }
            return holdsEmail(m, email);
        }

        static boolean holdsEmail(SessionMemory m, String email) {
            String wanted = email.trim().toLowerCase(Locale.ROOT);
            for (Map.Entry<String, SlotMemory> slot : m.getSlots().entrySet()) {
                SlotMemory v = slot.getValue();
                if (wanted.equals(norm(v.getValue()))) {
                    return true;
                }
                for (String old : v.getSuperseded()) {
                    if (wanted.equals(norm(old))) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static String norm(String s) {
            return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return email != null ? "email " + email : session != null ? "session " + session : "tenant " + tenant;
        }
    }

    /** The erased sessions and how many sessions' state was carried over. */
    public record Result(List<String> erasedSessions, long keptQualifySessions, long keptDedupSessions) {}

    private Erase() {}

    public static Result run(String savepoint, Selector who, String out, StateTools.Ttls ttls, LongConsumer progress)
            throws Exception {
        boolean hasQualify = StateTools.holds(savepoint, StateTools.QUALIFY);
        boolean hasDedup = StateTools.holds(savepoint, StateTools.DEDUPLICATE);

        // Pass 1: which sessions are the person's (the email and tenant live in session memory).
        Set<String> sessions = new TreeSet<>();
        if (who.session() != null) {
            sessions.add(who.session());
        }
        if (hasQualify && who.session() == null) {
            StreamExecutionEnvironment env = StateTools.environment();
            DataStream<String> matching = StateTools.qualifyState(StateTools.reader(env, savepoint), ttls)
                    .filter(who::matches).name("match " + who.toString().split(" ")[0])
                    .map(s -> s.sessionId).returns(Types.STRING);
            sessions.addAll(StateTools.collect(matching, "leadqual state erase (find)", n -> { }));
        }
        if (sessions.isEmpty()) {
            return new Result(List.of(), 0, 0);
        }

        // Pass 2: the same savepoint without those sessions' keyed state.
        Set<String> erased = new HashSet<>(sessions);
        StreamExecutionEnvironment env = StateTools.writingEnvironment();
        SavepointReader reader = StateTools.reader(env, savepoint);
        SavepointWriter writer = SavepointWriter.fromExistingSavepoint(env, StateTools.location(savepoint),
                new EmbeddedRocksDBStateBackend());
        List<DataStream<String>> kept = new ArrayList<>();
        if (hasQualify) {
            DataStream<SessionState> q = StateTools.qualifyState(reader, ttls)
                    .filter(s -> !erased.contains(s.sessionId)).name("keep others (memory)");
            StateTools.rewritingQualify(writer, savepoint).withOperator(StateTools.QUALIFY, StateTools.qualifyBootstrap(q, ttls));
            kept.add(q.map(s -> "q").returns(Types.STRING).name("count memory"));
        }
        if (hasDedup) {
            DataStream<SessionState> d = StateTools.dedupState(reader, ttls)
                    .filter(s -> !erased.contains(s.sessionId)).name("keep others (dedup)");
            writer.removeOperator(StateTools.DEDUPLICATE).withOperator(StateTools.DEDUPLICATE, StateTools.dedupBootstrap(d, ttls));
            kept.add(d.map(s -> "d").returns(Types.STRING).name("count dedup"));
        }
        writer.write(StateTools.location(out));
        DataStream<String> counts = kept.size() == 1 ? kept.get(0) : kept.get(0).union(kept.get(1));
        List<String> tags = StateTools.collect(counts, "leadqual state erase (write)", progress);
        long q = tags.stream().filter("q"::equals).count();
        return new Result(List.copyOf(sessions), q, tags.size() - q);
    }

}
