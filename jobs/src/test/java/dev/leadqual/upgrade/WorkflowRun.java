package dev.leadqual.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leadqual.cli.LocalFlink;
import dev.leadqual.config.JobSettings;
import dev.leadqual.io.ControlEvent;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.LeadOutcome;
import dev.leadqual.workflow.JobOutputs;
import dev.leadqual.workflow.LeadQualWorkflow;
import dev.leadqual.workflow.OutputSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Today's workflow ({@link LeadQualWorkflow#qualify}) on an embedded Flink configured from
 * flink-conf/config.yaml (RocksDB, auto-generated uids off, max parallelism 128), with collecting
 * sinks: either run until a condition holds and stop with a canonical savepoint, or run a bounded
 * input restored from a savepoint.
 */
final class WorkflowRun {

    /** The v1 fixture job's own source: its state (a generator split) is the only state today's job does not claim. */
    static final String FIXTURE_SOURCE_UID = "v1-fixture-source";
    static final String FIXTURE_CONTROL_UID = "fixture-control-source";
    static final String FIXTURE_OUTCOMES_UID = "fixture-outcomes-source";
    static final List<String> KINDS = List.of("lead", "action", "handoff", "outcome", "metric", "audit", "archive", "dead-letter");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String run = UUID.randomUUID().toString();

    /** Job settings as the tests run them: TTLs long enough for a checked-in savepoint to stay alive. */
    static JobSettings settings() {
        Map<String, String> args = new HashMap<>();
        args.put("kafka.bootstrap", "unused:9092");
        args.put("registry.url", "http://unused");
        // TTL is processing time: the checked-in savepoint's state was last written when it was made.
        // TTL durations may change between releases (StateLayout), so the tests restore with long ones.
        args.put("state.ttl", "3650 d");
        args.put("dedup.ttl", "3650 d");
        return JobSettings.from(args, Map.of());
    }

    List<JsonNode> out(String kind) {
        List<JsonNode> nodes = new ArrayList<>();
        for (String s : CollectingSink.collected(run + "/" + kind)) {
            try {
                nodes.add(JSON.readTree(s));
            } catch (Exception e) {
                throw new IllegalStateException("not JSON: " + s, e);
            }
        }
        return nodes;
    }

    int count(String kind) {
        return CollectingSink.collected(run + "/" + kind).size();
    }

    private JobOutputs outputs() {
        return new JobOutputs(sink("lead"), sink("action"), sink("handoff"), sink("outcome"), sink("metric"), sink("audit"),
                sink("archive"), sink("dead-letter"));
    }

    private <T> OutputSink<T> sink(String kind) {
        String name = run + "/" + kind;
        return stream -> stream.sinkTo(new CollectingSink<>(name)).uid("test-sink-" + kind).name("collect " + kind);
    }

    private static StreamExecutionEnvironment environment(Path work, String restoreFrom, int parallelism) {
        Configuration conf = LocalFlink.configuration(work, Duration.ofMinutes(10));
        conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        conf.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY, "none"); // fail, don't retry
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        }
        return LocalFlink.environment(conf, restoreFrom);
    }

    /**
     * Runs {@code events} through the workflow (parallelism 1, so each session's events keep their
     * order), waits until {@code ready}, then stops with a canonical savepoint without draining (no
     * end-of-input watermark: sessions stay open, timers stay registered). Returns the savepoint path.
     */
    String runAndStopWithSavepoint(List<ChatEvent> events, JobSettings settings, Path work, Path savepointDir,
            Predicate<WorkflowRun> ready) throws Exception {
        return runAndStopWithSavepoint(events, null, null, settings, work, savepointDir, ready);
    }

    /**
     * As above, with a control plane ({@code control}: policy, kill switch, CRM accounts, articles)
     * and sales outcomes, each from a source that stays open after its records; null: none.
     */
    String runAndStopWithSavepoint(List<ChatEvent> events, List<ControlEvent> control, List<LeadOutcome> outcomes,
            JobSettings settings, Path work, Path savepointDir, Predicate<WorkflowRun> ready) throws Exception {
        StreamExecutionEnvironment env = environment(work, null, 1);
        DataStream<ChatEvent> source = env.fromSource(GatedListSource.of(events), WatermarkStrategy.noWatermarks(), "v1 fixture")
                .uid(FIXTURE_SOURCE_UID);
        DataStream<ControlEvent> controlSource = control == null ? null
                : env.fromSource(GatedListSource.of(control, TypeInformation.of(ControlEvent.class)),
                        WatermarkStrategy.noWatermarks(), "control fixture").uid(FIXTURE_CONTROL_UID);
        DataStream<LeadOutcome> outcomeSource = outcomes == null ? null
                : env.fromSource(GatedListSource.of(outcomes, new AvroTypeInfo<>(LeadOutcome.class)),
                        WatermarkStrategy.noWatermarks(), "sales outcome fixture").uid(FIXTURE_OUTCOMES_UID);
        LeadQualWorkflow.qualify(source, controlSource, outcomeSource, settings, outputs(), null);
        JobClient job = env.executeAsync("v1 savepoint fixture");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!ready.test(this)) {
            org.apache.flink.api.common.JobStatus status = job.getJobStatus().get();
            if (status == org.apache.flink.api.common.JobStatus.RESTARTING || status.isGloballyTerminalState()) {
                job.cancel();
                throw new AssertionError("the fixture job failed (" + status + "); see the log");
            }
            if (System.nanoTime() > deadline) {
                job.cancel();
                throw new AssertionError("the fixture job did not process its input in time");
            }
            Thread.sleep(100);
        }
        return job.stopWithSavepoint(false, savepointDir.toUri().toString(), SavepointFormatType.CANONICAL).get();
    }

    /** Runs bounded {@code events} through the workflow, restored from {@code savepoint} (or fresh if null). */
    void runBounded(List<ChatEvent> events, JobSettings settings, Path work, String savepoint, int parallelism) throws Exception {
        runBounded(events, null, settings, work, savepoint, parallelism);
    }

    /** As above, with bounded sales outcomes (null: no outcome join in the graph). */
    void runBounded(List<ChatEvent> events, List<LeadOutcome> outcomes, JobSettings settings, Path work, String savepoint,
            int parallelism) throws Exception {
        StreamExecutionEnvironment env = environment(work, savepoint, parallelism);
        DataStream<ChatEvent> source = env.fromData(events, new AvroTypeInfo<>(ChatEvent.class)).uid("follow-up-source");
        DataStream<LeadOutcome> outcomeSource = outcomes == null ? null
                : env.fromData(outcomes, new AvroTypeInfo<>(LeadOutcome.class)).uid("follow-up-outcomes");
        LeadQualWorkflow.qualify(source, null, outcomeSource, settings, outputs(), null);
        env.execute("restored from " + savepoint);
    }
}
