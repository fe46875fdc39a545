package dev.leadqual.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leadqual.cli.LocalFlink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Makes the checked-in savepoint of the v1 job (jobs/src/test/resources/savepoints/v1): the
 * {@link V1Sessions} through today's workflow on embedded Flink with RocksDB, stopped with a
 * canonical savepoint while every open session still has its memory, tail, timers and dedup ids.
 * It also writes expected-sessions.json: per session, what the job's own outputs said it remembered
 * (slots, score, last action), for {@link V1SavepointCompatibilityTest} to check the restored memory
 * against.
 *
 * <p>Disabled: the savepoint is made once per released state layout and then kept, so that later
 * versions of the job are tested against it. To regenerate (only when releasing a new layout, as
 * a new folder, e.g. v2, keeping v1):
 *
 * <pre>
 * mvn -o verify -pl jobs -Dtest=V1SavepointGenerator -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Djunit.jupiter.conditions.deactivate=org.junit.*DisabledCondition -Dit.test=NONE -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 */
@Disabled("makes the checked-in v1 savepoint; run by hand (see the class comment)")
class V1SavepointGenerator {

    static final String V1 = "jobs/src/test/resources/savepoints/v1";

    @Test
    void makeTheV1Savepoint(@TempDir Path work) throws Exception {
        Path target = LocalFlink.home().resolve(V1);
        int visitorMessages = V1Sessions.distinctVisitorMessages();
        int closes = V1Sessions.closedSessions().size();
        WorkflowRun run = new WorkflowRun();
        String savepoint = run.runAndStopWithSavepoint(V1Sessions.events(), WorkflowRun.settings(), work,
                work.resolve("savepoints"),
                r -> r.count("audit") >= visitorMessages && r.count("outcome") >= closes);

        assertThat(run.count("audit")).isEqualTo(visitorMessages);
        install(savepoint, target);

        // What the v1 job said it remembered, from its last audit and action per session.
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, ObjectNode> expected = new TreeMap<>();
        for (String s : V1Sessions.openSessions()) {
            ObjectNode o = json.createObjectNode();
            o.put("last_action", "NONE");
            expected.put(s, o);
        }
        for (JsonNode audit : run.out("audit")) {
            ObjectNode o = expected.get(audit.path("session_id").asText());
            if (o != null) {
                o.set("slots", json.valueToTree(iterable(audit.path("slots").fieldNames())));
                o.put("score", audit.path("score").asInt());
            }
        }
        for (JsonNode action : run.out("action")) {
            ObjectNode o = expected.get(action.path("session_id").asText());
            if (o != null && !action.path("reason").asText().equals("handoff_sla_missed")) {
                o.put("last_action", action.path("action").asText());
            }
        }
        json.writeValue(target.resolve("expected-sessions.json").toFile(), expected);
    }

    /** Replaces {@code target}/savepoint with the files of {@code savepoint}. */
    static void install(String savepoint, Path target) throws java.io.IOException {
        if (Files.exists(target)) {
            try (Stream<Path> old = Files.walk(target)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Path savepointDir = Path.of(java.net.URI.create(savepoint));
        Files.createDirectories(target.resolve("savepoint"));
        try (Stream<Path> files = Files.list(savepointDir)) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve("savepoint").resolve(f.getFileName()));
            }
        }
    }

    private static java.util.List<String> iterable(java.util.Iterator<String> it) {
        java.util.List<String> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        l.sort(null);
        return l;
    }
}
