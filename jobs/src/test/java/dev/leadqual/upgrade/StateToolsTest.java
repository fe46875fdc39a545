package dev.leadqual.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leadqual.bench.ScaledState;
import dev.leadqual.cli.CliRun;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.state.TranscriptTurn;
import dev.leadqual.state.StateLayout;
import dev.leadqual.statetools.Erase;
import dev.leadqual.statetools.Inspect;
import dev.leadqual.statetools.Migrate;
import dev.leadqual.statetools.SessionState;
import dev.leadqual.statetools.StateTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.state.api.OperatorIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The savepoint tools ({@code ./leadqual state ...}) on the checked-in v1 savepoint (RocksDB,
 * canonical): what they report, and savepoints they write read back and restored into the job.
 */
class StateToolsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<String, SessionState> v1Memory;

    @BeforeAll
    static void readV1() throws Exception {
        v1Memory = V1Savepoint.qualifyState(V1Savepoint.path(), V1Savepoint.TTLS);
    }

    @Test
    void inspectCountsSessionsSizesAndDedupIds() throws Exception {
        Inspect.Report r = Inspect.report(V1Savepoint.path(), V1Savepoint.TTLS, n -> { });

        assertThat(r.sessions()).isEqualTo(V1Sessions.sessions().size());
        assertThat(r.sessionsWithMemory()).isEqualTo(V1Sessions.openSessions().size());
        assertThat(r.dedupSessions()).isEqualTo(V1Sessions.sessions().size());
        assertThat(r.dedupIds()).isEqualTo(V1Sessions.eventIds().values().stream().mapToLong(Set::size).sum());
        assertThat(r.memoryMin()).isPositive().isLessThanOrEqualTo(r.memoryP50());
        assertThat(r.memoryP50()).isLessThanOrEqualTo(r.memoryP90());
        assertThat(r.memoryP90()).isLessThanOrEqualTo(r.memoryMax());
        assertThat(r.tailTurns()).isEqualTo(v1Memory.values().stream().mapToLong(s -> s.tail.size()).sum());
        assertThat(r.sessionsByTenant()).containsOnlyKeys(V1Sessions.TENANTS);
        assertThat(r.render()).contains("p50", "dedup");
    }

    @Test
    void theCliInspectsOneSessionAsJson() throws Exception {
        String out = cli("state", "inspect", V1Savepoint.path(), "--session", "buyer-1", "--state-ttl", "3650 d",
                "--dedup-ttl", "3650 d");
        JsonNode session = JSON.readTree(out);
        assertThat(session.path("session_id").asText()).isEqualTo("buyer-1");
        assertThat(session.at("/memory/slots/email/value").asText()).isEqualTo(V1Sessions.DANA);
        assertThat(session.at("/memory/visitor_turns").asInt()).isEqualTo(V1Sessions.visitorTurns().get("buyer-1"));
        assertThat(session.path("transcript_tail")).isNotEmpty();
        assertThat(session.path("seen_event_ids").has("buyer-1-1")).isTrue();
        assertThat(session.path("memory_bytes").asInt()).isPositive();
    }

    @Test
    void eraseByEmailRemovesEveryOneOfThePersonsSessionsAndNothingElse(@TempDir Path work) throws Exception {
        String out = work.resolve("erased").toString();
        String printed = cli("state", "erase", V1Savepoint.path(), "--email", "  Dana.Whitfield@NorthwindTraders.com ",
                "--out", out, "--state-ttl", "3650 d", "--dedup-ttl", "3650 d");
        assertThat(printed).contains("erased 2 session(s)", "buyer-1", "handoff-1");

        // read back: the person's sessions are gone from both keyed operators, the rest is as it was
        Map<String, SessionState> memory = V1Savepoint.qualifyState(out, V1Savepoint.TTLS);
        Map<String, SessionState> dedup = V1Savepoint.dedupState(out, V1Savepoint.TTLS);
        assertThat(memory).doesNotContainKeys("buyer-1", "handoff-1").hasSize(v1Memory.size() - 2);
        assertThat(dedup).doesNotContainKeys("buyer-1", "handoff-1").hasSize(V1Sessions.sessions().size() - 2);
        for (Map.Entry<String, SessionState> e : memory.entrySet()) {
            SessionState before = v1Memory.get(e.getKey());
            assertThat(e.getValue().memory).as(e.getKey()).isEqualTo(before.memory);
            assertThat(e.getValue().tail).as(e.getKey()).isEqualTo(before.tail);
            assertThat(e.getValue().eventTimers).as(e.getKey()).isEqualTo(before.eventTimers);
        }
        assertThat(memory.values()).noneMatch(s -> s.memory.toString().contains(V1Sessions.DANA));
        // other operators' state (here the source's position) is carried over untouched
        assertThat(StateTools.operators(out)).containsOnlyKeys(StateTools.operators(V1Savepoint.path()).keySet());
        assertThat(StateTools.operators(out))
                .containsKey("#" + OperatorIdentifier.forUid(WorkflowRun.FIXTURE_SOURCE_UID).getOperatorId());

        // the job starts from it: the erased person starts afresh, everyone else continues
        WorkflowRun run = new WorkflowRun();
        ChatEvent old = V1Sessions.events().get(0); // buyer-1-1, seen before the erasure
        run.runBounded(List.of(ChatEvent.newBuilder(old).build(),
                V1SavepointCompatibilityTest.followUp("buyer-2", "buyer-2-f1", 600, "Any news?")),
                WorkflowRun.settings(), work.resolve("run"), out, 2);
        Map<String, JsonNode> outcomes = run.out("outcome").stream()
                .collect(Collectors.toMap(o -> o.path("session_id").asText(), o -> o));
        assertThat(outcomes.get("buyer-1").path("visitor_turns").asInt()).isEqualTo(1); // no memory, no seen ids left
        assertThat(outcomes.get("buyer-2").path("visitor_turns").asInt())
                .isEqualTo(V1Sessions.visitorTurns().get("buyer-2") + 1);
    }

    @Test
    void eraseByTenantAndBySession(@TempDir Path work) throws Exception {
        Erase.Result byTenant = Erase.run(V1Savepoint.path(), new Erase.Selector(null, null, "globex"),
                work.resolve("tenant").toString(), V1Savepoint.TTLS, n -> { });
        Set<String> globex = v1Memory.values().stream().filter(s -> s.memory.getTenantId().equals("globex"))
                .map(s -> s.sessionId).collect(Collectors.toSet());
        assertThat(byTenant.erasedSessions()).containsExactlyInAnyOrderElementsOf(globex);
        assertThat(V1Savepoint.qualifyState(work.resolve("tenant").toString(), V1Savepoint.TTLS).values())
                .extracting(s -> s.memory.getTenantId()).doesNotContain("globex").isNotEmpty();

        // a closed session has only its seen ids left; erasing it by id removes them
        Erase.Result bySession = Erase.run(V1Savepoint.path(), new Erase.Selector(null, "closed-1", null),
                work.resolve("session").toString(), V1Savepoint.TTLS, n -> { });
        assertThat(bySession.erasedSessions()).containsExactly("closed-1");
        assertThat(V1Savepoint.dedupState(work.resolve("session").toString(), V1Savepoint.TTLS))
                .doesNotContainKey("closed-1").containsKey("closed-2");
    }

    @Test
    void migrateShrinksTailsAndClearsFieldsAndTheJobRunsOnIt(@TempDir Path work) throws Exception {
        String out = work.resolve("migrated").toString();
        cli("state", "migrate", V1Savepoint.path(), "--out", out, "--tail", "2", "--drop-field", "summary",
                "--drop-field", "slots.phone", "--state-ttl", "3650 d");

        Map<String, SessionState> migrated = V1Savepoint.qualifyState(out, V1Savepoint.TTLS);
        assertThat(migrated.keySet()).isEqualTo(v1Memory.keySet());
        for (SessionState s : migrated.values()) {
            SessionState before = v1Memory.get(s.sessionId);
            assertThat(s.tail).as(s.sessionId).hasSizeLessThanOrEqualTo(2).hasSize(s.memory.getTailSize())
                    .isEqualTo(before.tail.subList(Math.max(0, before.tail.size() - 2), before.tail.size()));
            assertThat(s.memory.getSummary()).isEmpty();
            assertThat(s.memory.getSlots()).doesNotContainKey("phone");
            assertThat(s.memory.getVisitorTurns()).isEqualTo(before.memory.getVisitorTurns());
            assertThat(s.eventTimers).isEqualTo(before.eventTimers);
        }
        assertThat(v1Memory.values()).anyMatch(s -> s.memory.getSlots().containsKey("phone"));
        // dedup state was not touched
        assertThat(V1Savepoint.dedupState(out, V1Savepoint.TTLS)).hasSize(V1Sessions.sessions().size());

        // the job restores it; the migrated timers close every session
        WorkflowRun run = new WorkflowRun();
        run.runBounded(List.of(V1SavepointCompatibilityTest.followUp("handoff-5", "handoff-5-f1", 600, "Still there?")),
                WorkflowRun.settings(), work.resolve("run"), out, 2);
        assertThat(run.out("outcome")).extracting(o -> o.path("session_id").asText())
                .containsExactlyInAnyOrderElementsOf(V1Sessions.openSessions());
    }

    @Test
    void migrateWithAShorterTtlDropsWhatThatTtlExpires(@TempDir Path work) throws Exception {
        // the v1 savepoint was written minutes to months ago: under a 1-minute TTL nothing in it is alive
        Migrate.Result r = Migrate.run(V1Savepoint.path(), work.resolve("short").toString(),
                new Migrate.Changes(List.of(), null), new StateTools.Ttls(Duration.ofMinutes(1), Duration.ofDays(3650)), n -> { });
        assertThat(r.sessions()).isZero();
        assertThat(V1Savepoint.qualifyState(work.resolve("short").toString(), V1Savepoint.TTLS)).isEmpty();
    }

    @Test
    void bootstrapBuildsASavepointFromArchivedTurnsThatTheJobContinues(@TempDir Path work) throws Exception {
        Path archive = work.resolve("archive.jsonl");
        Files.writeString(archive, String.join("\n",
                // chat.archive records (redacted)
                "{\"session_id\":\"arch-1\",\"tenant_id\":\"acme\",\"event_id\":\"a1\",\"sender_role\":\"VISITOR\","
                        + "\"redacted_text\":\"Hi, how much is the enterprise plan for 200 seats?\",\"sent_at\":1773133200000,"
                        + "\"archived_because\":\"session_closed\"}",
                "{\"session_id\":\"arch-1\",\"tenant_id\":\"acme\",\"event_id\":\"a2\",\"sender_role\":\"AGENT\","
                        + "\"redacted_text\":\"Happy to help! How many people are on your team?\",\"sent_at\":1773133210000}",
                "{\"session_id\":\"arch-1\",\"tenant_id\":\"acme\",\"event_id\":\"a3\",\"sender_role\":\"VISITOR\","
                        + "\"redacted_text\":\"Our budget is around $50k per year.\",\"sent_at\":1773133220000}",
                // replay lines (clear text)
                "{\"session_id\":\"rep-1\",\"tenant_id\":\"globex\",\"event_id\":\"r1\",\"text\":\"I'm Ada Byron, reach me at ada@byron-labs.com\","
                        + "\"sent_at\":\"2026-03-10T09:00:30Z\"}",
                "{\"session_id\":\"rep-1\",\"event_id\":\"r2\",\"text\":\"We need it live by the end of next month.\",\"sent_at\":\"2026-03-10T09:00:40Z\","
                        + "\"tenant_id\":\"globex\"}",
                "{\"session_id\":\"rep-1\",\"event_id\":\"r2\",\"text\":\"We need it live by the end of next month.\",\"sent_at\":\"2026-03-10T09:00:40Z\","
                        + "\"tenant_id\":\"globex\"}",
                "not json"));
        String out = work.resolve("boot").toString();
        String printed = cli("state", "bootstrap", "--archive", archive.toString(), "--out", out, "--transcript-tail", "2",
                "--state-ttl", "3650 d", "--dedup-ttl", "3650 d");
        assertThat(printed).contains("bootstrapped 2 sessions from 5 turns");

        Map<String, SessionState> memory = V1Savepoint.qualifyState(out, V1Savepoint.TTLS);
        Map<String, SessionState> dedup = V1Savepoint.dedupState(out, V1Savepoint.TTLS);
        assertThat(memory).containsOnlyKeys("arch-1", "rep-1");
        SessionState arch = memory.get("arch-1");
        assertThat(arch.memory.getVisitorTurns()).isEqualTo(2);
        assertThat(arch.memory.getAgentTurns()).isEqualTo(1);
        assertThat(arch.memory.getSlots()).containsKey("budget");
        assertThat(arch.tail).extracting(TranscriptTurn::getEventId).containsExactly("a2", "a3");
        assertThat(arch.memory.getTailSize()).isEqualTo(2);
        assertThat(arch.eventTimers).containsExactly(arch.memory.getInactivityTimer());
        SessionState rep = memory.get("rep-1");
        assertThat(rep.memory.getVisitorTurns()).isEqualTo(2); // the redelivered r2 counted once
        assertThat(rep.memory.getSlots().get("email").getValue()).isEqualTo("ada@byron-labs.com");
        assertThat(rep.tail).extracting(TranscriptTurn::getText).noneMatch(t -> t.contains("ada@byron-labs.com"));
        assertThat(dedup.get("arch-1").seenEventIds).containsOnlyKeys("a1", "a2", "a3");
        assertThat(StateTools.operators(out)).containsOnlyKeys(StateLayout.QUALIFY_UID, StateLayout.DEDUPLICATE_UID);

        // the job starts from it (no other state needed): turns continue, archived ids are duplicates
        WorkflowRun run = new WorkflowRun();
        run.runBounded(List.of(
                ChatEvent.newBuilder(V1SavepointCompatibilityTest.followUp("arch-1", "a3", 60, "Our budget is around $50k per year."))
                        .setTenantId("acme").build(),
                ChatEvent.newBuilder(V1SavepointCompatibilityTest.followUp("arch-1", "a4", 600, "Can we book a demo?"))
                        .setTenantId("acme").build()),
                WorkflowRun.settings(), work.resolve("run"), out, 2);
        assertThat(run.out("metric")).extracting(m -> m.path("event_id").asText()).containsExactly("a4");
        Map<String, JsonNode> outcomes = run.out("outcome").stream()
                .collect(Collectors.toMap(o -> o.path("session_id").asText(), o -> o));
        assertThat(outcomes.get("arch-1").path("visitor_turns").asInt()).isEqualTo(3);
        assertThat(outcomes.get("arch-1").path("slots_filled").toString()).contains("budget");
        assertThat(outcomes).containsKey("rep-1"); // closed by its bootstrapped inactivity timer
    }

    @Test
    void theBenchsScaledSavepointHoldsEveryLiveSessionCopiedUnderNewKeys(@TempDir Path work) throws Exception {
        String out = work.resolve("scaled").toString();
        long written = ScaledState.write(V1Savepoint.path(), out, 3, V1Savepoint.TTLS);

        Map<String, SessionState> qualify = V1Savepoint.qualifyState(out, V1Savepoint.TTLS);
        Map<String, SessionState> dedup = V1Savepoint.dedupState(out, V1Savepoint.TTLS);
        Map<String, SessionState> v1Dedup = V1Savepoint.dedupState(V1Savepoint.path(), V1Savepoint.TTLS);
        assertThat(written).isEqualTo(3L * v1Memory.size()).isEqualTo(qualify.size());
        assertThat(dedup).hasSize(3 * v1Dedup.size());
        for (SessionState original : v1Memory.values()) {
            for (String key : List.of(original.sessionId, original.sessionId + "~1", original.sessionId + "~2")) {
                SessionState copy = qualify.get(key);
                assertThat(copy).as(key).isNotNull();
                assertThat(copy.memory).as(key).isEqualTo(original.memory);
                assertThat(copy.tail).as(key).isEqualTo(original.tail);
                assertThat(copy.eventTimers).as(key + ": timers, so copies close like the original").isEqualTo(original.eventTimers);
            }
        }
        for (SessionState original : v1Dedup.values()) {
            assertThat(dedup.get(original.sessionId + "~2").seenEventIds).isEqualTo(original.seenEventIds);
        }
    }

    /** Runs {@code ./leadqual ...} in this JVM; returns what it printed on stdout; fails on a non-zero exit. */
    static String cli(String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.code()).as("exit code of %s; printed: %s", String.join(" ", args), run.out()).isZero();
        return run.out();
    }

    static Set<String> keys(Map<String, ?> m) {
        return new HashSet<>(m.keySet());
    }
}
