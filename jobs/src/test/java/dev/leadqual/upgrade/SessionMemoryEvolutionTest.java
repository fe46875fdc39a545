package dev.leadqual.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leadqual.schema.state.SessionMemory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.avro.Schema;
import org.apache.avro.compiler.specific.SpecificCompiler;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema evolution of session memory: a v2 {@code SessionMemory} adds two fields with defaults
 * (marketing_consent: false, crm_account_id: null). The test generates and compiles that v2 class
 * (avro-compiler, from today's schema plus the two fields) and runs the v2 job ({@link EvolvedJob})
 * in a JVM of its own whose class path starts with it, as after a real upgrade where only the new
 * class exists: restored from the checked-in v1 savepoint, Flink's Avro serializer migrates every
 * session's memory (v1 fields intact, new fields at their defaults), and the v2 job writes and reads
 * back the new field.
 *
 * <p>Why its own JVM: on an embedded MiniCluster in the test's JVM the v1 class is already loaded
 * from test-classes, and the restored serializer read into it with the v2 schema ("Invalid index:
 * 38"); child-first user class paths did not isolate it reliably. Why not a GenericRecord type for
 * the evolved schema: on restore Flink reads the old state with the serializer restored from the
 * snapshot, which instantiates the SpecificRecord class; evolution works class to class.
 */
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

    /** Compiles the v2 SessionMemory: the class that comes first on the v2 job's class path. */
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
        return classes;
    }

    @Test
    void aV2JobWithAnEvolvedSessionMemoryRestoresTheV1Savepoint(@TempDir Path work) throws Exception {
        Path classes = v2Classes(work.resolve("v2"));
        Path out = work.resolve("v2-output.txt");
        Path log = work.resolve("v2-job.log");
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(javaBin, "-Xmx1g", "-Dleadqual.home=" + dev.leadqual.cli.LocalFlink.home(),
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"),
                EvolvedJob.class.getName(), work.resolve("flink").toString(), V1Savepoint.path(), out.toString());
        Process v2 = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(v2.waitFor(5, TimeUnit.MINUTES)).as("the v2 job finished in time; log: " + log).isTrue();
        } finally {
            v2.destroyForcibly(); // ours, by handle
        }
        assertThat(v2.exitValue()).as("the v2 job's exit code; its log:%n%s", tail(log)).isZero();

        Map<String, Integer> turns = V1Sessions.visitorTurns();
        JsonNode expected = V1Savepoint.expected();
        List<String> rows = JSON.readValue(out.toFile(), new com.fasterxml.jackson.core.type.TypeReference<List<String>>() { });
        assertThat(rows).hasSize(V1Sessions.openSessions().size());
        for (String row : rows) {
            String[] parts = row.split("\t", 3);
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

    private static String tail(Path log) throws java.io.IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
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
