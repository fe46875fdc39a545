package dev.leadqual.functions;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.state.StateLayout;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Stage 2, deduplicate: a redelivered event (same event id in the same session, e.g. a webhook
 * retried by the chat platform or a producer retry) changes nothing and emits nothing. Event ids are
 * remembered per session for the dedup TTL.
 */
public class DeduplicateEvents extends KeyedProcessFunction<String, ChatEvent, ChatEvent> {

    private final Duration ttl;
    private transient MapState<String, Long> seen;
    private transient Counter duplicates;

    public DeduplicateEvents(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext context) {
        seen = getRuntimeContext().getMapState(StateLayout.seenEvents(ttl));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
    }

    @Override
    public void processElement(ChatEvent event, Context ctx, Collector<ChatEvent> out) throws Exception {
        String id = event.getEventId();
        if (seen.contains(id)) {
            duplicates.inc();
            return;
        }
        seen.put(id, event.getSentAt().toEpochMilli());
        out.collect(event);
    }
}
