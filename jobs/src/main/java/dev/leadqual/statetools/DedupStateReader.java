package dev.leadqual.statetools;

import dev.leadqual.state.StateLayout;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.util.Collector;

/** Reads the deduplicate operator's {@code seen-event-ids}, one {@link SessionState} per session. */
public class DedupStateReader extends KeyedStateReaderFunction<String, SessionState> {

    private final Duration dedupTtl;
    private transient MapState<String, Long> seen;

    public DedupStateReader(Duration dedupTtl) {
        this.dedupTtl = dedupTtl;
    }

    @Override
    public void open(OpenContext context) {
        seen = getRuntimeContext().getMapState(StateLayout.seenEvents(dedupTtl));
    }

    @Override
    public void readKey(String session, Context ctx, Collector<SessionState> out) throws Exception {
        Map<String, Long> ids = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : seen.entries()) {
            ids.put(e.getKey(), e.getValue());
        }
        if (!ids.isEmpty()) {
            out.collect(SessionState.dedup(session, ids));
        }
    }
}
