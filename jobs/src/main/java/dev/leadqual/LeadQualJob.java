package dev.leadqual;

import dev.leadqual.config.JobSettings;
import dev.leadqual.io.KafkaConnections;
import dev.leadqual.state.StateLayout;
import dev.leadqual.workflow.LeadQualWorkflow;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * LeadQual: turns live support chats into qualified sales leads. main() only wires: settings →
 * source and sinks → workflow → execute. Cluster settings (RocksDB, checkpointing, exactly-once)
 * come from flink-conf/config.yaml, not from code.
 */
public final class LeadQualJob {

    public static final String NAME = "LeadQual";

    private LeadQualJob() {}

    public static void main(String[] args) throws Exception {
        JobSettings settings = JobSettings.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, settings);
        env.execute(NAME);
    }

    /**
     * Adds the whole job to {@code env}; used by main, the demo and the tests. Registers the output
     * schemas first (the sinks only look their ids up).
     */
    public static void build(StreamExecutionEnvironment env, JobSettings settings) {
        KafkaConnections.registerOutputSchemas(settings);
        var input = env.fromSource(KafkaConnections.chatSource(settings), WatermarkStrategy.noWatermarks(), "Chat input")
                .uid(StateLayout.CHAT_SOURCE_UID);
        var control = env.fromSource(KafkaConnections.controlSource(settings), WatermarkStrategy.noWatermarks(), "Control input")
                .uid(StateLayout.CONTROL_SOURCE_UID);
        var salesOutcomes = env.fromSource(KafkaConnections.salesOutcomesSource(settings), WatermarkStrategy.noWatermarks(), "Sales outcomes")
                .uid(StateLayout.OUTCOMES_SOURCE_UID);
        LeadQualWorkflow.define(input, control, salesOutcomes, settings, KafkaConnections.outputs(settings));
    }
}
