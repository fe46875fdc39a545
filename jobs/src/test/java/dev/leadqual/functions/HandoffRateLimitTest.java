package dev.leadqual.functions;

import static dev.leadqual.functions.ChatEvents.at;
import static dev.leadqual.functions.ControlPlaneTest.defaultPolicyDocument;
import static dev.leadqual.functions.ControlPlaneTest.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.config.JobSettings;
import dev.leadqual.io.ControlEvent;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.DecisionAudit;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.state.StateLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tenant's hourly handoff limit holds for the job: split over parallel instances, kept across a
 * restore, and across a restore at another parallelism (broadcast harness on RocksDB).
 */
class HandoffRateLimitTest {

    private static final JobSettings SETTINGS = JobSettings.from(Map.of(
            "kafka.bootstrap", "unused:9092", "registry.url", "http://unused",
            "session.inactivity", "10 min", "state.ttl", "1 d", "handoff.sla", "5 min"), Map.of());
    private static final int MAX_PARALLELISM = 128;

    private final List<KeyedBroadcastOperatorTestHarness<String, ChatEvent, ControlEvent, NextAction>> open = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (var h : open) {
            h.close();
        }
    }

    private KeyedBroadcastOperatorTestHarness<String, ChatEvent, ControlEvent, NextAction> harness(int parallelism,
            int subtask, OperatorSubtaskState restoreFrom) throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new QualifySession(SETTINGS),
                        List.of(StateLayout.control(), StateLayout.crmAccounts(), StateLayout.kbArticles())),
                StateLayout.bySession(), Types.STRING, MAX_PARALLELISM, parallelism, subtask);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        }
        h.open();
        h.processBroadcastWatermark(Long.MAX_VALUE);
        open.add(h);
        return h;
    }

    private static ControlEvent limitPerHour(int limit) throws Exception {
        String doc = defaultPolicyDocument()
                .replace("version: \"2025.1-default\"", "version: \"limit-" + limit + "\"")
                .replace("handoffs_per_hour: 60", "handoffs_per_hour: " + limit);
        return ControlEvent.of(policy(doc, "limit-" + limit));
    }

    /** A session id that the job's key groups send to {@code subtask} of {@code parallelism}. */
    private static String sessionOn(int subtask, int parallelism, String prefix) {
        for (int i = 0; ; i++) {
            String s = prefix + i;
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(s, MAX_PARALLELISM, parallelism) == subtask) {
                return s;
            }
        }
    }

    /** A buyer who qualifies and asks for a demo, starting {@code offsetSeconds} after T0. */
    private static void buyer(KeyedBroadcastOperatorTestHarness<String, ChatEvent, ControlEvent, NextAction> h, String session,
            int offsetSeconds) throws Exception {
        for (ChatEvent e : QualifySessionTest.bant(session)) {
            ChatEvent shifted = ChatEvent.newBuilder(e).setSentAt(e.getSentAt().plusSeconds(offsetSeconds)).build();
            h.processElement(shifted, shifted.getSentAt().toEpochMilli());
        }
    }

    private static List<String> handedOff(KeyedBroadcastOperatorTestHarness<String, ChatEvent, ControlEvent, NextAction> h) {
        List<String> out = new ArrayList<>();
        var side = h.getSideOutput(QualifyOutputs.HANDOFFS);
        if (side != null) {
            side.forEach(r -> out.add(((SalesHandoff) r.getValue()).getSessionId()));
        }
        return out;
    }

    private static boolean rateLimited(KeyedBroadcastOperatorTestHarness<String, ChatEvent, ControlEvent, NextAction> h,
            String session) {
        var side = h.getSideOutput(QualifyOutputs.AUDIT);
        return side != null && side.stream().map(r -> (DecisionAudit) r.getValue())
                .anyMatch(a -> a.getSessionId().equals(session) && a.getRateLimited());
    }

    @Test
    void twoInstancesShareTheLimitInsteadOfEachHavingAllOfIt() throws Exception {
        var first = harness(2, 0, null);
        var second = harness(2, 1, null);
        for (var h : List.of(first, second)) {
            h.processBroadcastElement(limitPerHour(2), at(0));
        }
        String a = sessionOn(0, 2, "a"), b = sessionOn(1, 2, "b"), c = sessionOn(0, 2, "c"), d = sessionOn(1, 2, "d");
        buyer(first, a, 0);
        buyer(second, b, 0);
        buyer(first, c, 200);
        buyer(second, d, 200);

        assertThat(handedOff(first)).containsExactly(a);
        assertThat(handedOff(second)).containsExactly(b);
        assertThat(rateLimited(first, c)).isTrue();
        assertThat(rateLimited(second, d)).isTrue();
    }

    @Test
    void aRestoreKeepsTheHoursCount() throws Exception {
        var before = harness(1, 0, null);
        before.processBroadcastElement(limitPerHour(1), at(0));
        buyer(before, "s1", 0);
        assertThat(handedOff(before)).containsExactly("s1");
        OperatorSubtaskState snapshot = before.snapshot(1L, 1L);

        var after = harness(1, 0, snapshot);
        buyer(after, "s2", 200);
        buyer(after, "s3", 3600); // the next event-time hour starts from zero

        assertThat(handedOff(after)).containsExactly("s3");
        assertThat(rateLimited(after, "s2")).isTrue();
    }

    @Test
    void aRestoreAtAnotherParallelismCarriesTheJobsTotal() throws Exception {
        var first = harness(2, 0, null);
        var second = harness(2, 1, null);
        for (var h : List.of(first, second)) {
            h.processBroadcastElement(limitPerHour(3), at(0));
        }
        // Shares of 3 over 2 instances: 2 each. The first instance makes 2 handoffs, the second 1.
        buyer(first, sessionOn(0, 2, "a"), 0);
        buyer(first, sessionOn(0, 2, "b"), 200);
        buyer(second, sessionOn(1, 2, "c"), 0);
        assertThat(handedOff(first)).hasSize(2);
        assertThat(handedOff(second)).hasSize(1);
        OperatorSubtaskState both = AbstractStreamOperatorTestHarness.repackageState(
                first.snapshot(1L, 1L), second.snapshot(1L, 1L));

        // Rescaled to one instance: the job already made 3 of its 3 this hour.
        var single = harness(1, 0, AbstractStreamOperatorTestHarness.repartitionOperatorState(both, MAX_PARALLELISM, 2, 1, 0));
        buyer(single, "z1", 400);
        assertThat(handedOff(single)).isEmpty();
        assertThat(rateLimited(single, "z1")).isTrue();

        // Rescaled to three instances: each starts at ceil(3 / 3) = 1 of its share of 1.
        OperatorSubtaskState toThree = AbstractStreamOperatorTestHarness.repartitionOperatorState(both, MAX_PARALLELISM, 2, 3, 2);
        var third = harness(3, 2, toThree);
        String y = sessionOn(2, 3, "y");
        buyer(third, y, 400);
        assertThat(handedOff(third)).isEmpty();
        assertThat(rateLimited(third, y)).isTrue();
    }
}
