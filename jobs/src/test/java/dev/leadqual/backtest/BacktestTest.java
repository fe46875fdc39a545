package dev.leadqual.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leadqual.replay.Replay;
import dev.leadqual.udfs.redact.Redactor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The backtest on real job output ({@link BacktestRun}: the default policy against the example
 * candidate, each run through the job on embedded Flink with RocksDB): which sessions diff.jsonl
 * lists and why, that summary.json counts what the job did, and that no contact detail leaks.
 */
class BacktestTest {

    private static BacktestRun run;

    @BeforeAll
    static void backtest() throws Exception {
        run = BacktestRun.get();
    }

    @Test
    void candidateHandsOffTheBuyerTheDefaultKeepsAskingWithTheRuleThatDidIt() {
        SessionResult before = run.result.baseline().get(BacktestRun.SHORT_BUYER);
        SessionResult after = run.result.candidate().get(BacktestRun.SHORT_BUYER);
        assertThat(before.handedOff()).as("default policy: timeline, company size and contact still missing").isFalse();
        assertThat(after.handedOff()).as("candidate: budget, authority and need suffice").isTrue();

        JsonNode line = run.diffBySession.get(BacktestRun.SHORT_BUYER);
        assertThat(line).as("diff.jsonl line of %s", BacktestRun.SHORT_BUYER).isNotNull();
        assertThat(texts(line.get("changes"))).contains("handoff", "qualified", "final_action", "next_actions");
        assertThat(line.at("/baseline/handed_off").asBoolean()).isFalse();
        assertThat(line.at("/candidate/handed_off").asBoolean()).isTrue();
        assertThat(line.at("/candidate/final_action").asText()).isEqualTo("HANDOFF_TO_SALES");
        assertThat(line.at("/baseline/policy_version").asText()).isEqualTo("2025.1-default");
        assertThat(line.at("/candidate/policy_version").asText()).isEqualTo(BacktestRun.CANDIDATE_VERSION);

        // the rule that made the difference: the candidate's handoff rule on the message it handed off at
        int handoffTurn = firstTurn(after.steps(), "HANDOFF_TO_SALES");
        JsonNode d = line.get("difference");
        assertThat(d.at("/rule/candidate").asText()).isEqualTo("qualified_handoff");
        assertThat(d.at("/rule/baseline").asText()).isEqualTo(before.steps().get(handoffTurn - 1).rule());
        assertThat(d.get("turn").asInt()).isEqualTo(handoffTurn);
        assertThat(d.at("/decision/candidate/action").asText()).isEqualTo("HANDOFF_TO_SALES");
        assertThat(d.at("/decision/baseline/action").asText()).isNotEqualTo("HANDOFF_TO_SALES");
        assertThat(d.get("message").asText()).isEqualTo(Redactor.redact(BacktestRun.SHORT_BUYER_TEXTS.get(handoffTurn - 1)));
        assertThat(line.get("sales_outcomes").toString()).contains("WON");
    }

    @Test
    void diffListsExactlyTheSessionsWhoseDecisionQualificationHandoffOrScoreBucketChanged() {
        Map<String, SessionResult> a = run.result.baseline();
        Map<String, SessionResult> b = run.result.candidate();
        assertThat(b.keySet()).isEqualTo(a.keySet());
        Set<String> expected = new TreeSet<>();
        for (String s : a.keySet()) {
            List<String> changes = new ArrayList<>();
            if (a.get(s).handedOff() != b.get(s).handedOff()) {
                changes.add("handoff");
            }
            if (a.get(s).qualified() != b.get(s).qualified()) {
                changes.add("qualified");
            }
            if (!a.get(s).finalAction().equals(b.get(s).finalAction())) {
                changes.add("final_action");
            }
            if (!a.get(s).actions().equals(b.get(s).actions())) {
                changes.add("next_actions");
            }
            if (bucket(a.get(s).score()) != bucket(b.get(s).score())) {
                changes.add("score_bucket");
            }
            if (!changes.isEmpty()) {
                expected.add(s);
                assertThat(texts(run.diffBySession.get(s).get("changes"))).as(s).containsExactlyElementsOf(changes);
            }
        }
        assertThat(run.diffBySession.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(run.diff).hasSize(expected.size());
        assertThat(run.diffBySession).doesNotContainKey(BacktestRun.SUPPORT);
        assertThat(run.summary.get("changed_sessions").asInt()).isEqualTo(expected.size());
        // handoff changes are listed first
        List<Boolean> handoffFirst = run.diff.stream().map(l -> texts(l.get("changes")).contains("handoff")).toList();
        assertThat(handoffFirst.indexOf(false)).isGreaterThanOrEqualTo((int) handoffFirst.stream().filter(x -> x).count());
        // every decision change names the two rules and the message it happened on
        for (ObjectNode l : run.diff) {
            if (texts(l.get("changes")).contains("next_actions")) {
                assertThat(l.at("/difference/rule/baseline").asText()).as(l.get("session_id").asText()).isNotEmpty();
                assertThat(l.at("/difference/rule/candidate").asText()).isNotEmpty();
                assertThat(l.at("/difference/turn").asInt()).isPositive();
            }
        }
        assertThat(PolicyDiff.changes(a, a)).as("a policy against itself").isEmpty();
    }

    @Test
    void summaryCountsWhatTheJobDidUnderEachPolicy() {
        for (String role : List.of("baseline", "candidate")) {
            Collection<SessionResult> results = (role.equals("baseline") ? run.result.baseline() : run.result.candidate()).values();
            JsonNode p = run.policy(role);
            assertThat(p.get("sessions").asInt()).isEqualTo(results.size()).isEqualTo(run.result.sessions());
            assertThat(p.get("leads").asLong()).isEqualTo(results.stream().filter(SessionResult::qualified).count());
            // handoffs come from the sales.handoffs output; the outcome's action history must agree
            assertThat(p.get("handoffs").asLong()).isPositive()
                    .isEqualTo(results.stream().filter(r -> r.actions().contains("HANDOFF_TO_SALES")).count());
            assertThat(p.get("questions_asked").asLong()).isEqualTo(results.stream().mapToLong(SessionResult::questionsAsked).sum())
                    .isEqualTo(results.stream().flatMap(r -> r.steps().stream())
                            .filter(s -> s.emitted() && s.action().equals("ASK_SLOT")).count());
            assertThat(p.get("escalated_sessions").asLong()).isEqualTo(results.stream().filter(r -> r.escalations() > 0).count());
            List<Long> ttq = results.stream().map(SessionResult::timeToQualificationMs).filter(Objects::nonNull).toList();
            assertThat(ttq).hasSize(p.get("leads").asInt());
            assertThat(p.get("mean_time_to_qualification_ms").asLong())
                    .isEqualTo(Math.round(ttq.stream().mapToLong(Long::longValue).average().orElseThrow()));
            assertThat(sum(p.get("score_distribution"))).isEqualTo(results.size());
            assertThat(sum(p.get("time_to_qualification_histogram"))).isEqualTo(ttq.size());
            assertThat(p.at("/funnel/0/count").asInt()).isEqualTo(results.size());
            assertThat(p.at("/funnel/3/stage").asText()).isEqualTo("handoff");
            assertThat(p.at("/funnel/3/count").asLong()).isEqualTo(p.get("handoffs").asLong());
            assertThat(p.get("kill_switch_sessions").asInt()).as("no control input in a backtest").isZero();
        }
        // the difference in handoffs between the policies is exactly the diff's handoff changes
        long gained = run.diff.stream().filter(l -> l.at("/candidate/handed_off").asBoolean() && !l.at("/baseline/handed_off").asBoolean()).count();
        long lost = run.diff.stream().filter(l -> !l.at("/candidate/handed_off").asBoolean() && l.at("/baseline/handed_off").asBoolean()).count();
        assertThat(gained).isPositive();
        assertThat(run.policy("candidate").get("handoffs").asLong() - run.policy("baseline").get("handoffs").asLong())
                .isEqualTo(gained - lost);
        assertThat(run.summary.get("policy_changes").toString())
                .contains("scoring.thresholds.handoff: 65 -> 50", "tenants.default.required_slots");
        assertThat(run.summary.at("/chats/sessions").asLong()).isEqualTo(run.result.sessions());
    }

    @Test
    void winRatesAndCalibrationComeFromTheGivenSalesOutcomes() {
        JsonNode before = run.policy("baseline").get("outcomes");
        JsonNode after = run.policy("candidate").get("outcomes");
        assertThat(before).isNotNull();
        // the short buyer was won: the candidate hands it off, the default does not
        assertThat(after.get("won_handed_off").asInt()).isGreaterThan(before.get("won_handed_off").asInt());
        assertThat(after.get("won_not_handed_off").asInt()).isLessThan(before.get("won_not_handed_off").asInt());
        for (JsonNode o : List.of(before, after)) {
            long closed = 0;
            for (JsonNode row : o.get("calibration")) {
                closed += row.get("won").asInt() + row.get("lost").asInt();
                double rate = row.get("win_rate").asDouble();
                assertThat(rate).isCloseTo((double) row.get("won").asInt() / (row.get("won").asInt() + row.get("lost").asInt()),
                        org.assertj.core.data.Offset.offset(0.006));
            }
            assertThat(closed).as("every closed deal in one bucket").isEqualTo(o.get("sessions_with_outcome").asLong());
        }
        assertThat(run.policy("candidate").at("/funnel/5/stage").asText()).isEqualTo("won");
        assertThat(run.policy("candidate").at("/funnel/5/count").asInt()).isEqualTo(after.get("won_handed_off").asInt());
    }

    @Test
    void archiveRecordsReplayLikeReplayLines() {
        for (Map<String, SessionResult> results : List.of(run.result.baseline(), run.result.candidate())) {
            SessionResult s = results.get(BacktestRun.ARCHIVED);
            assertThat(s).as("the session given as chat.archive records").isNotNull();
            assertThat(s.tenantId()).isEqualTo("globex");
            assertThat(s.visitorTurns()).isEqualTo(BacktestRun.ARCHIVED_VISITOR_TURNS);
            assertThat(s.steps()).extracting(Replay.Step::eventId).containsExactly("arch-0", "arch-1", "arch-2");
        }
    }

    @Test
    void noContactDetailInAnyOutputFile() throws Exception {
        for (String file : List.of("diff.jsonl", "summary.json", "report.html")) {
            String text = Files.readString(run.report(file), StandardCharsets.UTF_8);
            assertThat(text).as(file).doesNotContain("dana@", "contoso.example.com", "415 555", ".example.com");
        }
        assertThat(run.diffBySession.get(BacktestRun.SHORT_BUYER).at("/difference/message").asText()).contains("[email]", "[phone]");
    }

    @Test
    void progressPerPolicyOnStderr() {
        int n = (int) run.result.sessions();
        assertThat(run.stderr).contains("baseline  2025.1-default", "candidate " + BacktestRun.CANDIDATE_VERSION,
                String.format("%,d/%,d", n, n));
    }

    /** Buckets of 20 points; 100 belongs to 80-100. */
    private static int bucket(int score) {
        return Math.min(4, score / 20);
    }

    private static int firstTurn(List<Replay.Step> steps, String action) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).action().equals(action)) {
                return i + 1;
            }
        }
        throw new AssertionError("no " + action + " in " + steps);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static int sum(JsonNode array) {
        int s = 0;
        for (JsonNode x : array) {
            s += x.asInt();
        }
        return s;
    }
}
