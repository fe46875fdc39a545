package dev.leadqual.statetools;

import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.TranscriptTurn;
import dev.leadqual.state.StateLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.util.Collector;

/**
 * Reads the qualify operator's keyed state, one {@link SessionState} per session: memory, tail and
 * event-time timers. Registers the job's own descriptors (same names, serializers and TTL config),
 * so entries the job would treat as expired are not returned.
 */
public class QualifyStateReader extends KeyedStateReaderFunction<String, SessionState> {

    private final Duration stateTtl;
    private transient ValueState<SessionMemory> memory;
    private transient ListState<TranscriptTurn> tail;

    public QualifyStateReader(Duration stateTtl) {
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(OpenContext context) {
        memory = getRuntimeContext().getState(StateLayout.sessionMemory(stateTtl));
        tail = getRuntimeContext().getListState(StateLayout.transcriptTail(stateTtl));
    }

    @Override
    public void readKey(String session, Context ctx, Collector<SessionState> out) throws Exception {
        List<TranscriptTurn> turns = new ArrayList<>();
        Iterable<TranscriptTurn> it = tail.get();
        if (it != null) {
            it.forEach(turns::add);
        }
        turns.sort(Comparator.comparingLong(TranscriptTurn::getSentAt));
        SessionMemory m = memory.value();
        if (m == null && turns.isEmpty()) {
            return; // only expired entries under this key
        }
        List<Long> timers = new ArrayList<>(ctx.registeredEventTimeTimers());
        timers.sort(null);
        out.collect(SessionState.qualify(session, m, turns, timers));
    }
}
