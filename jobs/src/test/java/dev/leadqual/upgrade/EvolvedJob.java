package dev.leadqual.upgrade;

import dev.leadqual.cli.LocalFlink;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.state.StateLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The "v2" job of {@link SessionMemoryEvolutionTest}, run in a JVM of its own whose class path starts
 * with the evolved {@code SessionMemory}: as after a real upgrade, only the new class exists there.
 * Restores the v1 savepoint, sends one follow-up per open session through {@link EvolvedQualify},
 * and writes what it emitted (session, memory before, memory after) to a file as a JSON array.
 *
 * <p>Arguments: work directory, savepoint path, output file.
 */
public final class EvolvedJob {

    private EvolvedJob() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        String savepoint = args[1];
        Path out = Path.of(args[2]);
        List<ChatEvent> followUps = new ArrayList<>();
        int i = 0;
        for (String session : V1Sessions.openSessions()) {
            followUps.add(V1SavepointCompatibilityTest.followUp(session, session + "-v2", 600 + i++, "Any news?"));
        }
        Configuration conf = LocalFlink.configuration(work, Duration.ofMinutes(10));
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true); // v1's dedup and source state
        StreamExecutionEnvironment env = LocalFlink.environment(conf, savepoint);
        String sink = "evolution";
        env.fromData(followUps, new AvroTypeInfo<>(ChatEvent.class)).uid("follow-up-source")
                .keyBy(StateLayout.bySession())
                .process(new EvolvedQualify()).uid(StateLayout.QUALIFY_UID).name("Qualify session (v2)")
                .sinkTo(new CollectingSink<>(sink)).uid("test-sink-v2").name("collect");
        env.execute("v2 job from the v1 savepoint");
        new com.fasterxml.jackson.databind.ObjectMapper().writeValue(out.toFile(), CollectingSink.collected(sink));
        System.exit(0); // MiniCluster threads must not keep the JVM
    }
}
