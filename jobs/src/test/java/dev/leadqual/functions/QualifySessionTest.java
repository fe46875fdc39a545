package dev.leadqual.functions;

import static dev.leadqual.functions.ChatEvents.at;
import static dev.leadqual.functions.ChatEvents.agent;
import static dev.leadqual.functions.ChatEvents.lifecycle;
import static dev.leadqual.functions.ChatEvents.visitor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.config.JobSettings;
import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.ArchivedTurn;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.schema.SessionOutcome;
import dev.leadqual.state.StateLayout;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import dev.leadqual.io.ControlEvent;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QualifySessionTest {

    private static final JobSettings SETTINGS = JobSettings.from(Map.of(
            "kafka.bootstrap", "unused:9092", "registry.url", "http://unused",
            "session.inactivity", "10 min", "state.ttl", "1 d", "transcript.tail", "2", "handoff.sla", "5 min"), Map.of());
    private static final String EMAIL = "dana.whitfield@northwind.example.com";

    private KeyedBroadcastOperatorTestHarness<String, ChatEvent, ControlEvent, NextAction> harness;

    static KeyedBroadcastOperatorTestHarness<String, ChatEvent, ControlEvent, NextAction> newHarness() throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new QualifySession(SETTINGS),
                        List.of(StateLayout.control(), StateLayout.crmAccounts(), StateLayout.kbArticles())),
                StateLayout.bySession(), Types.STRING, 128, 1, 0);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    /** A buyer who answers every BANT question, then asks for a demo. */
    static List<ChatEvent> bant(String s) {
        return List.of(
                visitor(s, s + "-1", 0, "Hi, how much is the enterprise plan for 200 seats at Northwind Traders?"),
                visitor(s, s + "-2", 20, "Our budget is around $50k per year."),
                visitor(s, s + "-3", 40, "I'm the VP of Customer Success and I sign off on purchases."),
                visitor(s, s + "-4", 60, "We need it live by the end of next month."),
                visitor(s, s + "-5", 80, "We have about 900 employees."),
                visitor(s, s + "-6", 100, "You can reach me at " + EMAIL),
                visitor(s, s + "-7", 120, "Can we book a demo with your sales team?"));
    }

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
        harness.processBroadcastWatermark(Long.MAX_VALUE);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void aBuyerIsAskedForMissingSlotsThenHandedToSalesWithALead() throws Exception {
        for (ChatEvent e : bant("s1")) {
            harness.processElement(e, e.getSentAt().toEpochMilli());
        }
        List<NextAction> actions = actions();
        assertThat(actions).extracting(NextAction::getAction).contains(ActionType.ASK_SLOT, ActionType.HANDOFF_TO_SALES);
        assertThat(actions).filteredOn(a -> a.getAction() == ActionType.ASK_SLOT)
                .extracting(NextAction::getSlot).doesNotHaveDuplicates();
        assertThat(side(QualifyOutputs.LEADS)).isNotEmpty().last().satisfies(lead -> {
            assertThat(lead.getContact().getEmail()).isEqualTo(EMAIL);
            assertThat(lead.getScore()).isBetween(0, 100);
            assertThat(lead.getContributions()).isNotEmpty();
        });
        assertThat(side(QualifyOutputs.HANDOFFS)).hasSize(1).first().satisfies(h -> {
            assertThat(h.getSummary()).isNotBlank().doesNotContain(EMAIL);
            assertThat(h.getEscalation()).isZero();
        });
        assertThat(side(QualifyOutputs.AUDIT)).hasSize(7)
                .allSatisfy(a -> assertThat(a.toString()).doesNotContain(EMAIL));
        assertThat(side(QualifyOutputs.METRICS)).hasSize(7);
    }

    @Test
    void aSessionClosesAfterInactivityWithItsOutcomeAndLeavesNoState() throws Exception {
        harness.processElement(visitor("s1", "e1", 0, "I can't log into my account"), at(0));
        harness.processElement(agent("s1", "e2", 30, "Have you tried resetting your password?"), at(30));
        harness.processElement(visitor("s1", "e3", 60, "Yes, still broken"), at(60));
        assertThat(HarnessState.keysWith(harness, StateLayout.SESSION_MEMORY)).containsExactly("s1");
        assertThat(HarnessState.keysWith(harness, StateLayout.TRANSCRIPT_TAIL)).containsExactly("s1");
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(new Watermark(at(60 + 600 + 1)));

        assertThat(side(QualifyOutputs.SESSION_OUTCOMES)).singleElement().satisfies(o -> {
            assertThat(o.getCloseReason()).isEqualTo("inactivity");
            assertThat(o.getQualified()).isFalse();
            assertThat(o.getVisitorTurns()).isEqualTo(2);
            assertThat(o.getAgentTurns()).isEqualTo(1);
        });
        assertThat(side(QualifyOutputs.ARCHIVE)).extracting(ArchivedTurn::getArchivedBecause)
                .containsOnly("session_closed").hasSize(3);
        assertThat(HarnessState.keysWith(harness, StateLayout.SESSION_MEMORY)).isEmpty();
        assertThat(HarnessState.keysWith(harness, StateLayout.TRANSCRIPT_TAIL)).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aSessionStaysOpenUntilTenMinutesAfterItsLastMessageNotItsFirst() throws Exception {
        harness.processElement(visitor("s1", "e1", 0, "Do you integrate with Zendesk?"), at(0));
        harness.processElement(visitor("s1", "e2", 300, "And with Salesforce?"), at(300));

        harness.processWatermark(new Watermark(at(600 + 5))); // ten minutes after the first message
        assertThat(side(QualifyOutputs.SESSION_OUTCOMES)).isEmpty();
        assertThat(HarnessState.keysWith(harness, StateLayout.SESSION_MEMORY)).containsExactly("s1");
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(new Watermark(at(300 + 600 + 1)));
        assertThat(side(QualifyOutputs.SESSION_OUTCOMES)).singleElement().satisfies(o -> {
            assertThat(o.getCloseReason()).isEqualTo("inactivity");
            assertThat(o.getClosedAt().toEpochMilli()).isEqualTo(at(300 + 600 + 1));
            assertThat(o.getVisitorTurns()).isEqualTo(2);
        });
        assertThat(HarnessState.keysWith(harness, StateLayout.SESSION_MEMORY)).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aClosedEventClosesTheSessionAndLaterTimersAreIgnored() throws Exception {
        harness.processElement(visitor("s1", "e1", 0, "hello"), at(0));
        harness.processElement(lifecycle("s1", "e2", 5, ChatEventType.SESSION_CLOSED), at(5));
        harness.processWatermark(new Watermark(at(10_000)));

        assertThat(side(QualifyOutputs.SESSION_OUTCOMES)).singleElement()
                .extracting(SessionOutcome::getCloseReason).isEqualTo("closed");
        assertThat(HarnessState.keysWith(harness, StateLayout.SESSION_MEMORY)).isEmpty();
        assertThat(HarnessState.keysWith(harness, StateLayout.TRANSCRIPT_TAIL)).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void theTranscriptTailStaysBoundedAndOlderTurnsAreArchivedRedacted() throws Exception {
        for (int i = 0; i < 5; i++) {
            harness.processElement(visitor("s1", "e" + i, i, "message " + i + " mail me at " + EMAIL), at(i));
        }
        // tail of 2 turns: at the 5th turn the 3 oldest are archived, 2 stay hot
        assertThat(side(QualifyOutputs.ARCHIVE)).extracting(ArchivedTurn::getEventId).containsExactly("e0", "e1", "e2");
        assertThat(side(QualifyOutputs.ARCHIVE)).allSatisfy(a -> {
            assertThat(a.getArchivedBecause()).isEqualTo("tail_full");
            assertThat(a.getRedactedText()).doesNotContain(EMAIL);
        });
    }

    @Test
    void theAuditTextLeavesOutTheVisitorsNameAndContactDetails() throws Exception {
        harness.processElement(visitor("s1", "e1", 0, "Hi, my name is Dana Whitfield, mail me at " + EMAIL), at(0));

        assertThat(side(QualifyOutputs.AUDIT)).singleElement().satisfies(a -> {
            assertThat(a.getRedactedText()).doesNotContain("Dana", "Whitfield", EMAIL).contains("[name]", "mail me at");
            assertThat(a.getSlots()).containsEntry("name", "[redacted]");
        });
    }

    @Test
    void memoryExpiresAfterTheStateTtl() throws Exception {
        harness.setStateTtlProcessingTime(0);
        harness.processElement(visitor("s1", "e1", 0, "hello"), at(0));
        harness.setStateTtlProcessingTime(SETTINGS.stateTtl().toMillis() + 1);
        harness.processElement(lifecycle("s1", "e2", 5, ChatEventType.SESSION_CLOSED), at(5));

        // the expired memory is gone: the close starts from a fresh, empty session
        assertThat(side(QualifyOutputs.SESSION_OUTCOMES)).singleElement()
                .extracting(SessionOutcome::getVisitorTurns).isEqualTo(0);
    }

    @Test
    void anUnacceptedHandoffIsReEscalatedAfterTheSlaAndAnAcceptedOneIsNot() throws Exception {
        for (ChatEvent e : bant("late")) {
            harness.processElement(e, e.getSentAt().toEpochMilli());
        }
        for (ChatEvent e : bant("fast")) {
            harness.processElement(e, e.getSentAt().toEpochMilli());
        }
        harness.processElement(lifecycle("fast", "fast-accept", 130, ChatEventType.HANDOFF_ACCEPTED), at(130));
        harness.processWatermark(new Watermark(at(120 + 5 * 60 + 5)));

        assertThat(side(QualifyOutputs.HANDOFFS)).filteredOn(h -> h.getEscalation() > 0)
                .extracting(SalesHandoff::getSessionId).containsExactly("late");
        assertThat(actions()).filteredOn(a -> "handoff_sla_missed".equals(a.getReason()))
                .extracting(NextAction::getSessionId).containsExactly("late");
    }

    @Test
    void restoringFromASnapshotMidConversationGivesTheSameDecisions() throws Exception {
        List<ChatEvent> conversation = bant("s1");
        for (ChatEvent e : conversation) {
            harness.processElement(e, e.getSentAt().toEpochMilli());
        }
        List<String> uninterrupted = actions().stream().map(a -> a.getAction() + ":" + a.getSlot()).toList();
        harness.close();

        harness = newHarness();
        harness.open();
        harness.processBroadcastWatermark(Long.MAX_VALUE);
        for (ChatEvent e : conversation.subList(0, 3)) {
            harness.processElement(e, e.getSentAt().toEpochMilli());
        }
        List<String> before = actions().stream().map(a -> a.getAction() + ":" + a.getSlot()).toList();
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processBroadcastWatermark(Long.MAX_VALUE);
        for (ChatEvent e : conversation.subList(3, conversation.size())) {
            harness.processElement(e, e.getSentAt().toEpochMilli());
        }
        List<String> after = actions().stream().map(a -> a.getAction() + ":" + a.getSlot()).toList();

        assertThat(concat(before, after)).isEqualTo(uninterrupted);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private List<NextAction> actions() {
        return harness.extractOutputStreamRecords().stream().map(r -> (NextAction) r.getValue()).toList();
    }

    private <T> List<T> side(OutputTag<T> tag) {
        var records = harness.getSideOutput(tag);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }
}
