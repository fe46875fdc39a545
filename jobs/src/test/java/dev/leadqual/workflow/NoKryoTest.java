package dev.leadqual.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.bench.BenchSinks;
import dev.leadqual.config.JobSettings;
import dev.leadqual.io.RawRecord;
import dev.leadqual.state.StateLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * No Kryo anywhere (issue 6): every record type on every edge of the job graph and every state
 * descriptor gets a real serializer (Avro, POJO, primitives), never Flink's Kryo fallback. With
 * {@code pipeline.generic-types: false} a Kryo type would fail the job at run time; this finds it at
 * build time instead.
 */
class NoKryoTest {

    @Test
    void everyRecordOnEveryEdgeHasANonKryoSerializer() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        TypeInformation<RawRecord> raw = TypeInformation.of(RawRecord.class);
        DataStream<RawRecord> input = env.fromData(List.<RawRecord>of(), raw).uid("test-input");
        DataStream<RawRecord> control = env.fromData(List.<RawRecord>of(), raw).uid("test-control");
        DataStream<RawRecord> outcomes = env.fromData(List.<RawRecord>of(), raw).uid("test-outcomes");
        // Every optional adapter on, so their async stages' edges are checked too.
        JobSettings settings = JobSettings.from(java.util.Map.of("kafka.bootstrap", "127.0.0.1:9",
                "registry.url", "http://127.0.0.1:9", "llm.url", "http://127.0.0.1:9", "llm.intent-below", "0.5",
                "crm.url", "http://127.0.0.1:9"), java.util.Map.of());
        LeadQualWorkflow.define(input, control, outcomes, settings, BenchSinks.outputs(settings));

        StreamGraph graph = env.getStreamGraph();
        List<String> checked = new ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) {
            for (TypeSerializer<?> in : node.getTypeSerializersIn()) {
                assertNotKryo(node.getOperatorName() + " input", in);
                checked.add(node.getOperatorName());
            }
            if (node.getTypeSerializerOut() != null) {
                assertNotKryo(node.getOperatorName() + " output", node.getTypeSerializerOut());
            }
            if (node.getStateKeySerializer() != null) {
                assertNotKryo(node.getOperatorName() + " key", node.getStateKeySerializer());
            }
        }
        assertThat(checked).contains("Qualify session", "Deduplicate", "LLM intent second opinion (async)",
                "LLM handoff summary (async)", "CRM REST lookup (async)");
    }

    @Test
    void everyStateDescriptorHasANonKryoSerializer() {
        Duration ttl = Duration.ofDays(1);
        List<StateDescriptor<?, ?>> all = List.of(StateLayout.seenEvents(ttl), StateLayout.sessionMemory(ttl),
                StateLayout.transcriptTail(ttl), StateLayout.leadForOutcomes(ttl), StateLayout.earlyOutcomes(ttl),
                StateLayout.control(), StateLayout.crmAccounts(), StateLayout.kbArticles(), StateLayout.handoffsPerTenantHour());
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        ExecutionConfig config = new ExecutionConfig(conf);
        for (StateDescriptor<?, ?> d : all) {
            d.initializeSerializerUnlessSet(config);
            TypeSerializer<?> s = d.getSerializer();
            assertNotKryo("state " + d.getName(), s);
            if (s instanceof MapSerializer<?, ?> m) {
                assertNotKryo("state " + d.getName() + " key", m.getKeySerializer());
                assertNotKryo("state " + d.getName() + " value", m.getValueSerializer());
            } else if (s instanceof ListSerializer<?> l) {
                assertNotKryo("state " + d.getName() + " element", l.getElementSerializer());
            }
        }
    }

    private static void assertNotKryo(String where, TypeSerializer<?> s) {
        assertThat(s).as(where + " serializer").isNotInstanceOf(KryoSerializer.class);
        assertThat(s.getClass().getName()).as(where + " serializer").doesNotContainIgnoringCase("kryo");
    }
}
