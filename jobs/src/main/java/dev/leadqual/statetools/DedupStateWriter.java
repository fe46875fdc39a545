package dev.leadqual.statetools;

import dev.leadqual.state.StateLayout;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;

/** Writes {@link SessionState#seenEventIds} as the deduplicate operator's keyed state. */
public class DedupStateWriter extends KeyedStateBootstrapFunction<String, SessionState> {

    private final Duration dedupTtl;
    private transient MapState<String, Long> seen;

    public DedupStateWriter(Duration dedupTtl) {
        this.dedupTtl = dedupTtl;
    }

    @Override
    public void open(OpenContext context) {
        seen = getRuntimeContext().getMapState(StateLayout.seenEvents(dedupTtl));
    }

    @Override
    public void processElement(SessionState s, Context ctx) throws Exception {
        if (s.seenEventIds != null && !s.seenEventIds.isEmpty()) {
            seen.putAll(s.seenEventIds);
        }
    }
}
