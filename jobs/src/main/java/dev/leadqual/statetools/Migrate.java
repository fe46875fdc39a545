package dev.leadqual.statetools;

import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.TranscriptTurn;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.avro.Schema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code state migrate}: rewrites the qualify operator's state for an upgrade; everything else in
 * the savepoint is copied. Reading registers the descriptors with the (new) state TTL, so sessions
 * that TTL already expires are left out; the rest is written back with its TTL clock restarted.
 */
public final class Migrate {

    /**
     * What to change. {@code clearFields}: session-memory fields reset to their schema default, or
     * {@code slots.<name>} to remove one slot. {@code tailTurns}: keep at most this many newest
     * turns (null: unchanged).
     */
    public record Changes(List<String> clearFields, Integer tailTurns) implements Serializable {

        public Changes {
            clearFields = List.copyOf(clearFields);
            for (String f : clearFields) {
                if (!f.startsWith("slots.") && SessionMemory.getClassSchema().getField(f) == null) {
                    throw new IllegalArgumentException("session memory has no field '" + f + "'; fields: "
                            + SessionMemory.getClassSchema().getFields().stream().map(Schema.Field::name).toList());
                }
            }
            if (tailTurns != null && tailTurns < 0) {
                throw new IllegalArgumentException("--tail must be 0 or more");
            }
        }

        SessionState apply(SessionState s) {
            SessionMemory m = s.memory;
            if (m != null) {
                for (String f : clearFields) {
                    if (f.startsWith("slots.")) {
                        m.getSlots().remove(f.substring("slots.".length()));
                    } else {
                        int pos = SessionMemory.getClassSchema().getField(f).pos();
                        m.put(pos, SessionMemory.newBuilder().build().get(pos)); // the schema default
                    }
                }
            }
            if (tailTurns != null && s.tail != null && s.tail.size() > tailTurns) {
                List<TranscriptTurn> newest = new ArrayList<>(s.tail.subList(s.tail.size() - tailTurns, s.tail.size()));
                s.tail = newest;
            }
            if (tailTurns != null && m != null) {
                m.setTailSize(s.tail == null ? 0 : s.tail.size());
            }
            return s;
        }
    }

    public record Result(long sessions) {}

    private Migrate() {}

    public static Result run(String savepoint, String out, Changes changes, StateTools.Ttls ttls, LongConsumer progress)
            throws Exception {
        if (!StateTools.holds(savepoint, StateTools.QUALIFY)) {
            throw new IllegalArgumentException(savepoint + " holds no state of " + StateTools.QUALIFY);
        }
        StreamExecutionEnvironment env = StateTools.writingEnvironment();
        DataStream<SessionState> migrated = StateTools.qualifyState(StateTools.reader(env, savepoint), ttls)
                .map(changes::apply).returns(SessionState.typeInfo()).name("migrate session memory");
        StateTools.rewritingQualify(SavepointWriter.fromExistingSavepoint(env, StateTools.location(savepoint),
                        new EmbeddedRocksDBStateBackend()), savepoint)
                .withOperator(StateTools.QUALIFY, StateTools.qualifyBootstrap(migrated, ttls))
                .write(StateTools.location(out));
        long n = StateTools.collect(migrated.map(s -> 1).returns(Types.INT).name("count"),
                "leadqual state migrate", progress).size();
        return new Result(n);
    }
}
