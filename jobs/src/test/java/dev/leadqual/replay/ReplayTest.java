package dev.leadqual.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay contract: one line per session when it closes, through the real job on embedded Flink. */
class ReplayTest {

    @TempDir
    Path dir;

    @Test
    void writesOneOutcomeLinePerSessionAndReportsBadLines() throws Exception {
        Path input = Files.writeString(dir.resolve("chats.jsonl"), String.join("\n",
                "{\"session_id\":\"buyer\",\"text\":\"Hi, how much is the enterprise plan for 200 seats?\"}",
                "{\"session_id\":\"help\",\"text\":\"I can't log into my account since this morning.\"}",
                "{\"session_id\":\"buyer\",\"text\":\"Our budget is around $50k per year.\"}",
                "{\"session_id\":\"help\",\"text\":\"Have you tried resetting your password?\",\"role\":\"AGENT\"}",
                "{\"session_id\":\"buyer\",\"text\":\"I'm the CTO and I make the decision.\"}",
                "{\"session_id\":\"buyer\",\"text\":\"You can reach me at ana@contoso.example.com\"}",
                "{\"session_id\":\"buyer\",\"text\":\"Can we book a demo with your sales team?\"}",
                "{\"not\":\"a chat line\"}",
                "not json at all") + "\n");
        StringWriter out = new StringWriter();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        Replay.Result result = Replay.run(input, null, "30 min", dir.resolve("work"), out,
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(result.events()).isEqualTo(7);
        assertThat(result.badLines()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 8", "line 9");
        Map<String, JsonNode> bySession = new HashMap<>();
        for (String line : out.toString().strip().split("\n")) {
            JsonNode j = new ObjectMapper().readTree(line);
            assertThat(bySession.put(j.get("session_id").asText(), j)).as("one line per session").isNull();
        }
        assertThat(bySession).containsOnlyKeys("buyer", "help");
        for (JsonNode j : bySession.values()) {
            for (String field : List.of("session_id", "qualified", "score", "category", "final_action", "actions", "slots",
                    "time_to_qualification_ms")) {
                assertThat(j.has(field)).as("%s has %s", j.get("session_id"), field).isTrue();
            }
        }
        JsonNode buyer = bySession.get("buyer");
        assertThat(buyer.get("qualified").asBoolean()).isTrue();
        assertThat(buyer.get("final_action").asText()).isEqualTo("HANDOFF_TO_SALES");
        assertThat(buyer.get("actions").toString()).contains("ASK_SLOT", "HANDOFF_TO_SALES");
        assertThat(buyer.get("slots").get("budget").asText()).isEqualTo("50000 USD/year");
        assertThat(buyer.get("slots").get("email").asText()).isEqualTo("ana@contoso.example.com");
        assertThat(buyer.get("time_to_qualification_ms").asLong()).isPositive();
        JsonNode help = bySession.get("help");
        assertThat(help.get("qualified").asBoolean()).isFalse();
        assertThat(help.get("category").asText()).isEqualTo("support");
    }
}
