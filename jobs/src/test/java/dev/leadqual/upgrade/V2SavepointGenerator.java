package dev.leadqual.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leadqual.cli.LocalFlink;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Makes the checked-in savepoint of the v2 state layout (jobs/src/test/resources/savepoints/v2):
 * {@link V1Sessions} with the control plane of {@link V2Savepoint#control()} and the sales-outcome
 * join in the graph, stopped with a canonical savepoint while every open session is still open. It
 * writes expected.json: the lead id the job gave each qualified session, for
 * {@link V2SavepointCompatibilityTest} to send sales outcomes to after the restore.
 *
 * <p>Disabled: made once per released state layout and then kept. To regenerate (only when
 * releasing a new layout, as a new folder, keeping this one):
 *
 * <pre>
 * mvn -o verify -pl jobs -Dtest=V2SavepointGenerator -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Djunit.jupiter.conditions.deactivate=org.junit.*DisabledCondition -Dit.test=NONE -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 */
@Disabled("makes the checked-in v2 savepoint; run by hand (see the class comment)")
class V2SavepointGenerator {

    static final String V2 = "jobs/src/test/resources/savepoints/v2";

    @Test
    void makeTheV2Savepoint(@TempDir Path work) throws Exception {
        Path target = LocalFlink.home().resolve(V2);
        int visitorMessages = V1Sessions.distinctVisitorMessages();
        int closes = V1Sessions.closedSessions().size();
        WorkflowRun run = new WorkflowRun();
        String savepoint = run.runAndStopWithSavepoint(V1Sessions.events(), V2Savepoint.control(), List.of(),
                WorkflowRun.settings(), work, work.resolve("savepoints"),
                r -> r.count("audit") >= visitorMessages && r.count("outcome") >= closes && r.count("lead") > 0);
        assertThat(run.count("audit")).isEqualTo(visitorMessages);
        V1SavepointGenerator.install(savepoint, target);

        Map<String, String> leads = new TreeMap<>();
        for (JsonNode lead : run.out("lead")) {
            leads.put(lead.path("session_id").asText(), lead.path("lead_id").asText());
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode expected = json.createObjectNode();
        expected.set("leads", json.valueToTree(leads));
        json.writeValue(target.resolve("expected.json").toFile(), expected);
    }
}
