package dev.leadqual.statetools;

import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.TranscriptTurn;
import dev.leadqual.state.StateLayout;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;

/**
 * Writes {@link SessionState}s as the qualify operator's keyed state: memory, tail and the
 * event-time timers (inactivity close, handoff SLA). Timers live in the keyed state backend too: a
 * rewrite that forgot them would leave sessions that never close.
 */
public class QualifyStateWriter extends KeyedStateBootstrapFunction<String, SessionState> {

    private final Duration stateTtl;
    private transient ValueState<SessionMemory> memory;
    private transient ListState<TranscriptTurn> tail;

    public QualifyStateWriter(Duration stateTtl) {
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(OpenContext context) {
        memory = getRuntimeContext().getState(StateLayout.sessionMemory(stateTtl));
        tail = getRuntimeContext().getListState(StateLayout.transcriptTail(stateTtl));
    }

    @Override
    public void processElement(SessionState s, Context ctx) throws Exception {
        if (s.memory != null) {
            memory.update(s.memory);
        }
        if (s.tail != null && !s.tail.isEmpty()) {
            tail.update(s.tail);
        }
        if (s.eventTimers != null) {
            for (long t : s.eventTimers) {
                ctx.timerService().registerEventTimeTimer(t);
            }
        }
    }
}
