package dev.leadqual.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leadqual.cli.LocalFlink;
import dev.leadqual.demo.SyntheticArchive;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.FileUtils;

/**
 * One real backtest, shared by the backtest tests (run once per JVM: two runs of the job on embedded
 * Flink): the default policy against {@code examples/candidate-policy.yaml} on a few hand-written
 * conversations (one in the {@code chat.archive} record format) plus 40 of the demo's synthetic ones,
 * with sales outcomes.
 */
final class BacktestRun {

    /** Budget, authority and need, no contact: the candidate requires no more, the default asks on. */
    static final String SHORT_BUYER = "short-buyer";
    static final List<String> SHORT_BUYER_TEXTS = List.of(
            "Hi, we're looking for a chat tool for our support team at Contoso.",
            "How much is the enterprise plan for 200 seats?",
            "Our budget is around $50k per year.",
            "I'm the VP of Customer Success, I sign off on this. Write to dana@contoso.example.com or call +1 415 555 0100.");
    static final String SUPPORT = "support-login";
    static final String ARCHIVED = "archived-presales";
    static final int ARCHIVED_VISITOR_TURNS = 3;
    static final String CANDIDATE_VERSION = "2026.1-short-qualification";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static BacktestRun run;

    final Path dir;
    final Backtest.Result result;
    final String stderr;
    final List<ObjectNode> diff = new ArrayList<>();
    final Map<String, ObjectNode> diffBySession = new LinkedHashMap<>();
    final ObjectNode summary;

    static synchronized BacktestRun get() throws Exception {
        if (run == null) {
            run = new BacktestRun();
        }
        return run;
    }

    private BacktestRun() throws Exception {
        dir = Files.createTempDirectory("leadqual-backtest-test-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> FileUtils.deleteDirectoryQuietly(dir.toFile())));
        Path chats = dir.resolve("archive.jsonl");
        Path outcomes = dir.resolve("outcomes.jsonl");
        StringWriter synthetic = new StringWriter();
        StringWriter syntheticOutcomes = new StringWriter();
        SyntheticArchive.write(7, 40, synthetic, syntheticOutcomes);

        List<String> lines = new ArrayList<>();
        Instant t = Instant.parse("2026-01-05T08:00:00Z");
        for (String text : SHORT_BUYER_TEXTS) {
            lines.add(replayLine(SHORT_BUYER, "acme", "VISITOR", text, t = t.plusSeconds(60)));
        }
        lines.add(replayLine(SUPPORT, "acme", "VISITOR", "I can't log into my account since this morning.", t = t.plusSeconds(30)));
        lines.add(replayLine(SUPPORT, "acme", "AGENT", "Sorry to hear that! Have you tried resetting your password?", t = t.plusSeconds(30)));
        // chat.archive records in Avro's JSON encoding: sender_role, redacted_text, epoch millis, wrapped unions
        String[] archived = {"Hello! Do you integrate with Salesforce and Zendesk?",
            "What does the professional plan cost per user per month?", "Thanks, that's helpful."};
        for (int i = 0; i < archived.length; i++) {
            lines.add(JSON.writeValueAsString(JSON.createObjectNode()
                    .put("session_id", ARCHIVED).put("tenant_id", "globex").put("event_id", "arch-" + i)
                    .put("sender_role", "VISITOR").put("redacted_text", archived[i])
                    .put("sent_at", t.plusSeconds(40L * (i + 1)).toEpochMilli()).put("archived_because", "session_closed")
                    .set("trace_id", JSON.createObjectNode().put("string", "trace-" + i))));
        }
        Files.writeString(chats, String.join("\n", lines) + "\n" + synthetic, StandardCharsets.UTF_8);
        Files.writeString(outcomes, "{\"session_id\":\"" + SHORT_BUYER + "\",\"outcome\":\"WON\"}\n" + syntheticOutcomes,
                StandardCharsets.UTF_8);

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path candidate = LocalFlink.home().resolve("examples/candidate-policy.yaml");
        result = Backtest.run(new Backtest.Options(chats, candidate, null, outcomes, dir.resolve("report"), "30 min", 2, 25),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        stderr = err.toString(StandardCharsets.UTF_8);
        for (String line : Files.readAllLines(report("diff.jsonl"), StandardCharsets.UTF_8)) {
            ObjectNode o = (ObjectNode) JSON.readTree(line);
            diff.add(o);
            diffBySession.put(o.get("session_id").asText(), o);
        }
        summary = (ObjectNode) JSON.readTree(report("summary.json").toFile());
    }

    Path report(String file) {
        return dir.resolve("report").resolve(file);
    }

    ObjectNode policy(String role) {
        for (var p : summary.get("policies")) {
            if (p.get("role").asText().equals(role)) {
                return (ObjectNode) p;
            }
        }
        throw new AssertionError("no " + role + " in summary.json");
    }

    private static String replayLine(String session, String tenant, String role, String text, Instant at) throws Exception {
        return JSON.writeValueAsString(JSON.createObjectNode().put("session_id", session).put("tenant_id", tenant)
                .put("role", role).put("text", text).put("sent_at", at.toString()).put("language", "en"));
    }
}
