package dev.leadqual.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.state.StateLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.avro.Schema;
import org.apache.avro.compiler.specific.SpecificCompiler;
import org.apache.avro.generic.GenericData;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema evolution of session memory: a v2 {@code SessionMemory} adds two fields with defaults
 * (marketing_consent: false, crm_account_id: null). The test generates and compiles that v2 class
 * (avro-compiler, from today's schema plus the two fields) and runs a v2 job that loads it
 * child-first, restored from the checked-in v1 savepoint: Flink's Avro serializer migrates every
 * session's memory on restore (v1 fields intact, new fields at their defaults), and the v2 job
 * writes the new field.
 *
 * <p>Why not a GenericRecord type for the evolved schema: on restore Flink reads the old state with
 * the serializer restored from the snapshot — which produces instances of the v1 SpecificRecord
 * class — and writes them with the new serializer; a GenericRecord serializer of the evolved schema
 * then fails on the missing field ("Invalid index: 38"). Evolution works class to class.
 *
 * <p>Status: disabled. Run on the embedded MiniCluster with {@code pipeline.classpaths} pointing at
 * the compiled v2 classes, EvolvedQualify was still loaded from test-classes while the state
 * migration saw the v2 schema, and failed the same way. Next step: package the v2 classes as a user
 * jar and run the v2 job on the standalone cluster (./leadqual cluster) or in a forked JVM.
 */
@org.junit.jupiter.api.Disabled("NOT WORKING YET: on the embedded MiniCluster the v2 classes are not consistently loaded"
        + " child-first, so the restored v1 serializer reads into the v1 class with the v2 schema (Invalid index: 38)."
        + " Needs the v2 job in its own JVM or a proper user jar; see the class comment.")
class SessionMemoryEvolutionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** v1 plus marketing_consent (boolean, default false) and crm_account_id (nullable, default null). */
    static Schema evolved() {
        Schema v1 = SessionMemory.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : v1.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field("marketing_consent", Schema.create(Schema.Type.BOOLEAN), "Added in v2.", false));
        fields.add(new Schema.Field("crm_account_id",
                Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)), "Added in v2.",
                Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);
    }

    /** Compiles the v2 SessionMemory and copies {@link EvolvedQualify} next to it: the v2 job's own classes. */
    static Path v2Classes(Path dir) throws Exception {
        Path src = dir.resolve("src");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        SpecificCompiler compiler = new SpecificCompiler(evolved());
        compiler.setStringType(GenericData.StringType.String);
        compiler.compileToDestination(null, src.toFile());
        Path memory = src.resolve("dev/leadqual/schema/state/SessionMemory.java");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-nowarn", "-proc:none", "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), memory.toString());
        assertThat(rc).as("javac of the v2 SessionMemory").isZero();
        // the v2 function, loaded from the same place so it links to the v2 SessionMemory
        String name = EvolvedQualify.class.getName().replace('.', '/') + ".class";
        Path target = classes.resolve(name);
        Files.createDirectories(target.getParent());
        try (var in = EvolvedQualify.class.getClassLoader().getResourceAsStream(name)) {
            Files.copy(in, target);
        }
        return classes;
    }

    @Test
    void aV2JobWithAnEvolvedSessionMemoryRestoresTheV1Savepoint(@TempDir Path work) throws Exception {
        Path classes = v2Classes(work.resolve("v2"));
        List<ChatEvent> followUps = new ArrayList<>();
        int i = 0;
        for (String session : V1Sessions.openSessions()) {
            followUps.add(V1SavepointCompatibilityTest.followUp(session, session + "-v2", 600 + i++, "Any news?"));
        }
        Configuration conf = dev.leadqual.cli.LocalFlink.configuration(work, Duration.ofMinutes(10));
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true); // v1's dedup and source state
        conf.set(PipelineOptions.CLASSPATHS, List.of(classes.toUri().toURL().toString()));
        conf.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "child-first");
        StreamExecutionEnvironment env = dev.leadqual.cli.LocalFlink.environment(conf, V1Savepoint.path());
        String sink = "evolution-" + UUID.randomUUID();
        env.fromData(followUps, new AvroTypeInfo<>(ChatEvent.class)).uid("follow-up-source")
                .keyBy(StateLayout.bySession())
                .process(new EvolvedQualify()).uid(StateLayout.QUALIFY_UID).name("Qualify session (v2)")
                .sinkTo(new CollectingSink<>(sink)).uid("test-sink-v2").name("collect");
        env.execute("v2 job from the v1 savepoint");

        Map<String, Integer> turns = V1Sessions.visitorTurns();
        JsonNode expected = V1Savepoint.expected();
        List<String> rows = CollectingSink.collected(sink);
        assertThat(rows).hasSize(V1Sessions.openSessions().size());
        for (String row : rows) {
            String[] parts = row.split("\\|", 3);
            String session = parts[0];
            JsonNode before = JSON.readTree(parts[1]);
            JsonNode after = JSON.readTree(parts[2]);
            // migrated on restore: the new fields at their defaults, every v1 field as it was
            assertThat(before.has("marketing_consent")).as(session + " is read as v2").isTrue();
            assertThat(before.path("marketing_consent").asBoolean()).as(session).isFalse();
            assertThat(before.path("crm_account_id").isNull()).as(session).isTrue();
            assertThat(before.path("visitor_turns").asInt()).as(session).isEqualTo(turns.get(session));
            assertThat(before.path("opened_at").asLong()).as(session).isEqualTo(V1Sessions.openedAt().get(session).toEpochMilli());
            assertThat(before.path("score").asInt()).as(session).isEqualTo(expected.get(session).path("score").asInt());
            assertThat(fieldNames(before.path("slots"))).as(session)
                    .containsExactlyInAnyOrderElementsOf(texts(expected.get(session).path("slots")));
            // and the v2 job reads back what it wrote in the v2 shape
            assertThat(after.path("marketing_consent").asBoolean()).as(session).isTrue();
            assertThat(after.path("visitor_turns").asInt()).as(session).isEqualTo(turns.get(session) + 1);
        }
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> l = new ArrayList<>();
        o.fieldNames().forEachRemaining(l::add);
        return l;
    }

    private static List<String> texts(JsonNode a) {
        List<String> l = new ArrayList<>();
        a.forEach(n -> l.add(n.asText()));
        return l;
    }

}
