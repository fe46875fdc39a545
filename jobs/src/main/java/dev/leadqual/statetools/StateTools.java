package dev.leadqual.statetools;

import dev.leadqual.state.StateLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * What every savepoint tool shares: an embedded batch Flink, readers and writers of the two keyed
 * operators (qualify-session: memory, tail, timers; deduplicate-events: seen ids) built from
 * {@link StateLayout}, and a look at which operators a savepoint holds.
 */
public final class StateTools {

    /** The job's TTLs (as {@code --state.ttl} and {@code --dedup.ttl}); the tools register the same. */
    public record Ttls(Duration state, Duration dedup) implements java.io.Serializable {
        public static final Ttls JOB_DEFAULTS = new Ttls(Duration.ofDays(7), Duration.ofDays(1));
    }

    public static final OperatorIdentifier QUALIFY = OperatorIdentifier.forUid(StateLayout.QUALIFY_UID);
    public static final OperatorIdentifier DEDUPLICATE = OperatorIdentifier.forUid(StateLayout.DEDUPLICATE_UID);
    public static final OperatorIdentifier CONTROL_SOURCE = OperatorIdentifier.forUid(StateLayout.CONTROL_SOURCE_UID);

    /** The job's uids, to name the operators found in a savepoint. */
    private static final List<String> KNOWN_UIDS = List.of(StateLayout.CHAT_SOURCE_UID, StateLayout.DECODE_UID,
            StateLayout.EVENT_TIME_UID, StateLayout.DEDUPLICATE_UID, StateLayout.QUALIFY_UID,
            StateLayout.CONTROL_SOURCE_UID, StateLayout.DECODE_CONTROL_UID, StateLayout.OUTCOMES_SOURCE_UID,
            StateLayout.DECODE_OUTCOMES_UID, StateLayout.JOIN_OUTCOMES_UID, StateLayout.LLM_SUMMARY_UID,
            StateLayout.CRM_LOOKUP_UID, StateLayout.LLM_INTENT_UID);

    private StateTools() {}

    /** An embedded Flink in batch mode: the State Processor API jobs are bounded. */
    public static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(CoreOptions.DEFAULT_PARALLELISM, Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
        // Flink 2.2 pitfall: SavepointWriter ships the existing savepoint's OperatorStates through
        // env.fromData with Kryo 5, whose reflectasm cannot instantiate this private singleton on
        // Java 17 (IllegalAccessError). Java serialization of it works (it is Serializable).
        conf.set(org.apache.flink.configuration.PipelineOptions.SERIALIZATION_CONFIG, List.of(
                "org.apache.flink.runtime.checkpoint.InflightDataRescalingDescriptor$NoRescalingDescriptor:"
                        + " {type: kryo, kryo-type: default, class: com.esotericsoftware.kryo.serializers.JavaSerializer}"));
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    /**
     * The embedded batch Flink for jobs that WRITE a savepoint (migrate, erase, bootstrap from the
     * archive, the bench's scaled state): parallelism 1. Flink 2.2 pitfall: with two bootstrap subtasks
     * in one local task manager, one subtask's bootstrap thread ended early once its input no longer
     * fitted the hand-over queue (seen from about 20k typical sessions; 4k passed), and its
     * {@code BootstrapStreamTaskRunner} then waited on the full queue forever: the job hung without an
     * error. At parallelism 1 the same savepoints are written (the bench writes 1M sessions this way).
     */
    public static StreamExecutionEnvironment writingEnvironment() {
        StreamExecutionEnvironment env = environment();
        env.setParallelism(1);
        return env;
    }

    /** A savepoint path as Flink wants it: a URI is kept, a local path made absolute. */
    public static String location(String savepoint) {
        if (savepoint.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*")) {
            return savepoint; // a URI, e.g. file:/path as Flink prints savepoint paths, s3://bucket/path
        }
        return Path.of(savepoint).toAbsolutePath().normalize().toUri().toString();
    }

    public static SavepointReader reader(StreamExecutionEnvironment env, String savepoint) throws java.io.IOException {
        return SavepointReader.read(env, location(savepoint), new EmbeddedRocksDBStateBackend());
    }

    /** Operators holding state in the savepoint (stateless ones are left out): uid (or "#" + operator id when not one of the job's) → max parallelism. */
    public static Map<String, Integer> operators(String savepoint) throws java.io.IOException {
        CheckpointMetadata metadata = SavepointLoader.loadSavepointMetadata(location(savepoint));
        Map<String, Integer> out = new LinkedHashMap<>();
        for (OperatorState op : metadata.getOperatorStates()) {
            if (!hasState(op)) {
                continue; // stateless operators are listed too, with nothing in them
            }
            String name = "#" + op.getOperatorID();
            for (String uid : KNOWN_UIDS) {
                if (OperatorIdentifier.forUid(uid).getOperatorId().equals(op.getOperatorID())) {
                    name = uid;
                }
            }
            out.put(name, op.getMaxParallelism());
        }
        return out;
    }

    public static boolean holds(String savepoint, OperatorIdentifier op) throws java.io.IOException {
        CheckpointMetadata metadata = SavepointLoader.loadSavepointMetadata(location(savepoint));
        return metadata.getOperatorStates().stream()
                .anyMatch(s -> s.getOperatorID().equals(op.getOperatorId()) && hasState(s));
    }

    private static boolean hasState(OperatorState op) {
        return op.getCoordinatorState() != null
                || op.getStates().stream().anyMatch(org.apache.flink.runtime.checkpoint.OperatorSubtaskState::hasState);
    }

    public static DataStream<SessionState> qualifyState(SavepointReader reader, Ttls ttls) throws java.io.IOException {
        return present(reader.readKeyedState(QUALIFY, new QualifyStateReader(ttls.state()),
                org.apache.flink.api.common.typeinfo.Types.STRING, SessionState.typeInfo()));
    }

    public static DataStream<SessionState> dedupState(SavepointReader reader, Ttls ttls) throws java.io.IOException {
        return present(reader.readKeyedState(DEDUPLICATE, new DedupStateReader(ttls.dedup()),
                org.apache.flink.api.common.typeinfo.Types.STRING, SessionState.typeInfo()));
    }

    /**
     * Drops the nulls Flink 2.2's keyed-state input emits when the reader function returns nothing
     * for the last keys of a split (here: sessions the TTL expired), which would fail the next operator.
     */
    private static DataStream<SessionState> present(DataStream<SessionState> states) {
        return states.filter(java.util.Objects::nonNull).name("live sessions");
    }

    /**
     * Rewriting the qualify operator keeps its keyed state only: the State Processor API cannot carry
     * its broadcast state (policy, kill switches, CRM accounts, articles) or its operator state along.
     * So the rewritten savepoint also drops the control source's offsets: the restored job reads the
     * compacted control topics again from their start (as on a first start) and rebuilds the control
     * plane as it was, instead of running on the built-in policy with no kill switch.
     */
    public static SavepointWriter rewritingQualify(SavepointWriter writer, String savepoint) throws java.io.IOException {
        writer.removeOperator(QUALIFY);
        if (holds(savepoint, CONTROL_SOURCE)) {
            writer.removeOperator(CONTROL_SOURCE);
        }
        return writer;
    }

    public static StateBootstrapTransformation<SessionState> qualifyBootstrap(DataStream<SessionState> states, Ttls ttls) {
        return OperatorTransformation.bootstrapWith(states)
                .setMaxParallelism(StateLayout.MAX_PARALLELISM)
                .keyBy(SessionState::getSessionId, org.apache.flink.api.common.typeinfo.Types.STRING)
                .transform(new QualifyStateWriter(ttls.state()));
    }

    public static StateBootstrapTransformation<SessionState> dedupBootstrap(DataStream<SessionState> states, Ttls ttls) {
        return OperatorTransformation.bootstrapWith(states)
                .setMaxParallelism(StateLayout.MAX_PARALLELISM)
                .keyBy(SessionState::getSessionId, org.apache.flink.api.common.typeinfo.Types.STRING)
                .transform(new DedupStateWriter(ttls.dedup()));
    }

    /** Runs the environment's graph, collecting {@code stream}; {@code progress} sees the running count. */
    public static <T> List<T> collect(DataStream<T> stream, String jobName, LongConsumer progress) throws Exception {
        List<T> out = new ArrayList<>();
        try (CloseableIterator<T> it = stream.executeAndCollect(jobName)) {
            while (it.hasNext()) {
                out.add(it.next());
                progress.accept(out.size());
            }
        }
        return out;
    }
}
