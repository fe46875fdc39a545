package dev.leadqual.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leadqual.replay.Replay;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.udfs.qualify.Policy;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.util.FileUtils;

/**
 * {@code ./leadqual backtest}: what a candidate policy would change, on archived conversations. The
 * same conversations run through the real job ({@link Replay}: embedded Flink, RocksDB, the
 * production workflow, event time from the messages) once under the baseline policy and once under
 * the candidate; the job's own outputs per session are compared and written to {@code out}:
 * {@code diff.jsonl} ({@link PolicyDiff}), {@code summary.json} ({@link PolicySummary} per policy)
 * and {@code report.html} ({@link ReportPage}).
 */
public final class Backtest {

    /**
     * @param against the baseline policy, null for the built-in default
     * @param outcomes sales outcomes (JSON lines), or null
     * @param parallelism of the replayed job; the hourly handoff limit is shared equally by the
     *     instances, as in production, so use the production parallelism when that limit matters
     * @param top how many changed sessions the report lists
     */
    public record Options(Path chats, Path candidate, Path against, Path outcomes, Path out, String inactivity,
            int parallelism, int top) {}

    /** Counts of one backtest, and what each policy made of each session (by session id). */
    public record Result(long events, long sessions, long changed, long badLines, Path out,
            Map<String, SessionResult> baseline, Map<String, SessionResult> candidate) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_POLICY = "built-in default";

    private Backtest() {}

    public static Result run(Options o, PrintStream err) throws Exception {
        // Fail fast on a bad policy, before any cluster starts.
        Policy baselinePolicy = o.against() == null ? Policy.defaults() : Policy.parse(Files.readString(o.against()));
        Policy candidatePolicy = Policy.parse(Files.readString(o.candidate()));
        if (baselinePolicy.version().equals(candidatePolicy.version())) {
            err.println("backtest: both policies have version " + candidatePolicy.version()
                    + "; the report tells them apart as baseline and candidate");
        }

        List<String> bad = new ArrayList<>();
        List<ChatEvent> events = Replay.read(o.chats(), bad);
        bad.forEach(b -> err.println("backtest: skipped chats " + b));
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no usable conversation lines in " + o.chats());
        }
        SalesOutcomes outcomes = SalesOutcomes.none();
        if (o.outcomes() != null) {
            List<String> badOutcomes = new ArrayList<>();
            outcomes = SalesOutcomes.read(o.outcomes(), badOutcomes);
            badOutcomes.forEach(b -> err.println("backtest: skipped outcomes " + b));
        }

        Map<String, SessionResult> baseline = replay(events, o.against(), "baseline  " + baselinePolicy.version(), o, err);
        Map<String, SessionResult> candidate = replay(events, o.candidate(), "candidate " + candidatePolicy.version(), o, err);

        List<PolicyDiff.Change> changes = PolicyDiff.changes(baseline, candidate);
        Files.createDirectories(o.out());
        List<ObjectNode> diffLines = new ArrayList<>();
        try (Writer w = Files.newBufferedWriter(o.out().resolve("diff.jsonl"), StandardCharsets.UTF_8)) {
            for (PolicyDiff.Change c : changes) {
                ObjectNode line = PolicyDiff.toJson(c, outcomes);
                diffLines.add(line);
                w.write(JSON.writeValueAsString(line));
                w.write('\n');
            }
        }
        ObjectNode summary = summary(o, events.size(), bad.size(), baselinePolicy, candidatePolicy, baseline, candidate,
                changes, outcomes);
        JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o.out().resolve("summary.json").toFile(), summary);
        Files.writeString(o.out().resolve("report.html"),
                ReportPage.render(summary, diffLines.subList(0, Math.min(o.top(), diffLines.size()))), StandardCharsets.UTF_8);
        return new Result(events.size(), baseline.size(), changes.size(), bad.size(), o.out(), baseline, candidate);
    }

    /** One run of the job under {@code policy} (null: built-in); results by session id. */
    private static Map<String, SessionResult> replay(List<ChatEvent> events, Path policy, String label, Options o,
            PrintStream err) throws Exception {
        Path work = Files.createTempDirectory("leadqual-backtest-");
        try {
            Map<String, SessionResult> results = new TreeMap<>();
            for (Replay.SessionFold fold : Replay.execute(events, policy, o.inactivity(), o.parallelism(), work, label, err)) {
                results.put(fold.sessionId(), SessionResult.of(fold));
            }
            return results;
        } finally {
            FileUtils.deleteDirectory(work.toFile());
        }
    }

    static ObjectNode summary(Options o, long events, long badLines, Policy baselinePolicy, Policy candidatePolicy,
            Map<String, SessionResult> baseline, Map<String, SessionResult> candidate, List<PolicyDiff.Change> changes,
            SalesOutcomes outcomes) {
        ObjectNode s = JSON.createObjectNode();
        s.put("generated_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        ObjectNode chats = s.putObject("chats");
        chats.put("file", o.chats().getFileName().toString());
        chats.put("events", events);
        chats.put("sessions", baseline.size());
        chats.put("bad_lines", badLines);
        if (o.outcomes() != null) {
            s.put("outcomes_file", o.outcomes().getFileName().toString());
        }
        s.put("inactivity", o.inactivity());
        s.put("parallelism", o.parallelism());
        ArrayNode buckets = s.putArray("score_buckets");
        PolicySummary.scoreBuckets().forEach(buckets::add);
        ArrayNode bins = s.putArray("time_to_qualification_bins");
        PolicySummary.TTQ_LABELS.forEach(bins::add);
        ArrayNode policies = s.putArray("policies");
        policies.add(PolicySummary.of("baseline", name(o.against()), baselinePolicy.version(), baseline.values(), outcomes));
        policies.add(PolicySummary.of("candidate", name(o.candidate()), candidatePolicy.version(), candidate.values(), outcomes));
        ArrayNode policyChanges = s.putArray("policy_changes");
        candidatePolicy.diff(baselinePolicy).forEach(policyChanges::add);

        s.put("changed_sessions", changes.size());
        ObjectNode byKind = s.putObject("changes");
        PolicyDiff.CHANGES.forEach(k -> byKind.put(k, changes.stream().filter(c -> c.changes().contains(k)).count()));
        Map<String, Integer> transitions = new LinkedHashMap<>();
        changes.stream().filter(c -> c.changes().contains("final_action"))
                .forEach(c -> transitions.merge(c.baseline().finalAction() + ">" + c.candidate().finalAction(), 1, Integer::sum));
        ArrayNode t = s.putArray("final_action_transitions");
        transitions.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> t.addObject()
                        .put("from", e.getKey().substring(0, e.getKey().indexOf('>')))
                        .put("to", e.getKey().substring(e.getKey().indexOf('>') + 1))
                        .put("sessions", e.getValue()));
        return s;
    }

    private static String name(Path policy) {
        return policy == null ? DEFAULT_POLICY : policy.getFileName().toString();
    }
}
