package dev.leadqual.upgrade;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.state.StateLayout;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The qualify stage of a "v2" job, reduced to what {@link SessionMemoryEvolutionTest} needs. It runs in
 * {@link EvolvedJob}'s JVM, whose class path starts with the evolved {@code SessionMemory} compiled by
 * the test, so {@code SessionMemory} here is the v2 class (with marketing_consent): it counts the turn, records
 * consent and emits "session TAB memory before TAB memory after" (Avro JSON escapes tabs in strings).
 */
public class EvolvedQualify extends KeyedProcessFunction<String, ChatEvent, String> {

    private transient ValueState<SessionMemory> memory;

    @Override
    public void open(OpenContext context) {
        ValueStateDescriptor<SessionMemory> d =
                new ValueStateDescriptor<>(StateLayout.SESSION_MEMORY, new AvroTypeInfo<>(SessionMemory.class));
        d.enableTimeToLive(StateLayout.ttl(Duration.ofDays(3650)));
        memory = getRuntimeContext().getState(d);
    }

    @Override
    public void processElement(ChatEvent e, Context ctx, Collector<String> out) throws Exception {
        SessionMemory m = memory.value();
        if (m == null) {
            out.collect(ctx.getCurrentKey() + "\t{}\t{}");
            return;
        }
        String before = m.toString();
        m.setVisitorTurns(m.getVisitorTurns() + 1);
        m.put(m.getSchema().getField("marketing_consent").pos(), true);
        memory.update(m);
        out.collect(ctx.getCurrentKey() + "\t" + before + "\t" + memory.value());
    }
}
