package dev.leadqual.bench;

import dev.leadqual.statetools.SessionState;
import dev.leadqual.statetools.StateTools;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * Grows a savepoint of real sessions to a large one with the State Processor API (the same readers
 * and writers as {@code ./leadqual state}): every session of the qualify operator (memory, transcript
 * tail, timers) and of the deduplicate operator (seen event ids) is written {@code copies} times under
 * new session keys ({@code id}, {@code id~1}, {@code id~2}, ...), so the large savepoint holds sessions
 * exactly as typical as the ones the pipeline built. Operators keyed otherwise (the outcome join, by
 * lead) are carried over unchanged.
 */
public final class ScaledState {

    private ScaledState() {}

    /** Writes the scaled savepoint to {@code out}; returns the number of sessions it holds. */
    public static long write(String savepoint, String out, int copies, StateTools.Ttls ttls) throws Exception {
        StreamExecutionEnvironment env = StateTools.writingEnvironment();
        SavepointReader reader = StateTools.reader(env, savepoint);
        DataStream<SessionState> qualify = StateTools.qualifyState(reader, ttls)
                .flatMap(new Copies(copies)).returns(SessionState.typeInfo()).name("copy sessions");
        DataStream<SessionState> dedup = StateTools.dedupState(reader, ttls)
                .flatMap(new Copies(copies)).returns(SessionState.typeInfo()).name("copy seen ids");
        StateTools.rewritingQualify(SavepointWriter.fromExistingSavepoint(env, StateTools.location(savepoint),
                        new EmbeddedRocksDBStateBackend()), savepoint)
                .removeOperator(StateTools.DEDUPLICATE)
                .withOperator(StateTools.QUALIFY, StateTools.qualifyBootstrap(qualify, ttls))
                .withOperator(StateTools.DEDUPLICATE, StateTools.dedupBootstrap(dedup, ttls))
                .write(StateTools.location(out));
        Long written = env.execute("LeadQual bench: " + copies + " copies of every session")
                .getAccumulatorResult(Copies.WRITTEN);
        return written == null ? 0 : written;
    }

    /**
     * Copy {@code i > 0} of session {@code id} is session {@code id~i}; the copies share their values
     * (serialised apart). Counts the qualify operator's sessions written.
     */
    private static final class Copies extends RichFlatMapFunction<SessionState, SessionState> {
        static final String WRITTEN = "sessions-written";
        private final int copies;
        private final LongCounter written = new LongCounter();

        Copies(int copies) {
            this.copies = copies;
        }

        @Override
        public void open(OpenContext context) {
            getRuntimeContext().addAccumulator(WRITTEN, written);
        }

        @Override
        public void flatMap(SessionState s, Collector<SessionState> out) {
            if (s.memory != null || s.tail != null) {
                written.add(copies); // a qualify session (dedup states carry only seen ids)
            }
            for (int i = 0; i < copies; i++) {
                SessionState c = new SessionState();
                c.sessionId = i == 0 ? s.sessionId : s.sessionId + "~" + i;
                c.memory = s.memory;
                c.tail = s.tail;
                c.eventTimers = s.eventTimers;
                c.seenEventIds = s.seenEventIds;
                out.collect(c);
            }
        }
    }
}
