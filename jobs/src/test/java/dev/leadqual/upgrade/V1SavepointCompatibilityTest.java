package dev.leadqual.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.TranscriptTurn;
import dev.leadqual.state.StateLayout;
import dev.leadqual.statetools.SessionState;
import dev.leadqual.statetools.StateTools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.state.api.OperatorIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoint compatibility: the checked-in savepoint of the v1 job (made by
 * {@link V1SavepointGenerator}) is read with today's state layout, and today's job restored from it
 * continues every session.
 */
class V1SavepointCompatibilityTest {

    private static Map<String, SessionState> memory;
    private static Map<String, SessionState> dedup;
    private static JsonNode expected;

    @BeforeAll
    static void readTheV1Savepoint() throws Exception {
        memory = V1Savepoint.qualifyState(V1Savepoint.path(), V1Savepoint.TTLS);
        dedup = V1Savepoint.dedupState(V1Savepoint.path(), V1Savepoint.TTLS);
        expected = V1Savepoint.expected();
    }

    @Test
    void theV1SavepointHoldsTheJobsOperatorsUnderTheirUids() throws Exception {
        Map<String, Integer> operators = StateTools.operators(V1Savepoint.path());
        String fixtureSource = "#" + OperatorIdentifier.forUid(WorkflowRun.FIXTURE_SOURCE_UID).getOperatorId();
        assertThat(operators).containsOnlyKeys(StateLayout.DEDUPLICATE_UID, StateLayout.QUALIFY_UID, fixtureSource);
        assertThat(operators.values()).containsOnly(StateLayout.MAX_PARALLELISM);
    }

    @Test
    void everyOpenSessionsMemoryTailAndTimersSurvived() {
        assertThat(memory.keySet()).containsExactlyInAnyOrderElementsOf(V1Sessions.openSessions());
        Map<String, Integer> visitorTurns = V1Sessions.visitorTurns();
        for (String session : V1Sessions.openSessions()) {
            SessionState s = memory.get(session);
            SessionMemory m = s.memory;
            JsonNode e = expected.get(session);
            assertThat(m).as(session).isNotNull();
            assertThat(m.getTenantId()).as(session).isEqualTo(V1Sessions.events().stream()
                    .filter(ev -> ev.getSessionId().equals(session)).findFirst().orElseThrow().getTenantId());
            assertThat(m.getOpenedAt()).as(session).isEqualTo(V1Sessions.openedAt().get(session).toEpochMilli());
            assertThat(m.getVisitorTurns()).as(session).isEqualTo(visitorTurns.get(session));
            assertThat(new TreeSet<>(m.getSlots().keySet())).as(session)
                    .containsExactlyElementsOf(strings(e.path("slots")));
            assertThat(m.getScore()).as(session).isEqualTo(e.path("score").asInt());
            assertThat(m.getLastAction().name()).as(session).isEqualTo(e.path("last_action").asText());
            // the tail: the session's newest turns, as many as the memory says
            assertThat(s.tail).as(session).hasSize(m.getTailSize()).isNotEmpty();
            assertThat(s.tail.get(s.tail.size() - 1).getEventId()).as(session).isEqualTo(lastMessageId(session));
            // the inactivity timer (and the SLA timer of an unaccepted handoff) are still registered
            assertThat(s.eventTimers).as(session).contains(m.getInactivityTimer());
            if (m.getSlaTimer() > 0) {
                assertThat(s.eventTimers).as(session).contains(m.getSlaTimer());
            }
        }
        // contact details stay in memory (for the CRM); the tail is redacted
        assertThat(memory.get("buyer-1").memory.getSlots().get("email").getValue()).isEqualTo(V1Sessions.DANA);
        assertThat(memory.values()).flatMap(s -> s.tail).extracting(TranscriptTurn::getText)
                .noneMatch(t -> t.contains(V1Sessions.DANA));
        // long chats archived their oldest turns: the tail stays bounded (12..24 turns)
        assertThat(memory.get("long-1").tail.size()).isBetween(12, 24);
        assertThat(memory.get("handoff-1").memory.getHandoffAccepted()).isTrue();
        assertThat(memory.get("handoff-3").memory.getHandoffAt()).isNotNull();
        assertThat(memory.get("handoff-3").memory.getHandoffAccepted()).isFalse();
    }

    @Test
    void everySessionsSeenEventIdsSurvivedClosedSessionsIncluded() {
        Map<String, Set<String>> ids = V1Sessions.eventIds();
        assertThat(dedup.keySet()).containsExactlyInAnyOrderElementsOf(V1Sessions.sessions());
        for (String session : V1Sessions.sessions()) {
            assertThat(dedup.get(session).seenEventIds.keySet()).as(session).containsExactlyInAnyOrderElementsOf(ids.get(session));
        }
    }

    @Test
    void todaysJobRestoredFromV1ContinuesEverySession(@TempDir Path work) throws Exception {
        List<ChatEvent> followUps = new ArrayList<>();
        int i = 0;
        for (String session : V1Sessions.openSessions()) {
            followUps.add(followUp(session, session + "-f1", 600 + i++, "Thanks. Any news on this?"));
        }
        ChatEvent redelivered = V1Sessions.events().stream().filter(e -> e.getEventId().equals("buyer-3-1")).findFirst().orElseThrow();
        followUps.add(ChatEvent.newBuilder(redelivered).build());
        followUps.add(followUp("closed-1", "closed-1-1", 700, "Where can I download my invoices?")); // seen before the close
        followUps.add(followUp("closed-2", "closed-2-f1", 701, "One more question about invoices."));

        WorkflowRun run = new WorkflowRun();
        run.runBounded(followUps, WorkflowRun.settings(), work, V1Savepoint.path(), 2); // v1 ran at parallelism 1

        // a duplicate of an event in the savepoint is still dropped, also in a closed session
        assertThat(run.out("metric")).extracting(m -> m.path("event_id").asText())
                .doesNotContain("buyer-3-1", "closed-1-1")
                .contains("closed-2-f1");
        // turn counts continue where v1 left them; the session is still the one v1 opened
        Map<String, JsonNode> outcomes = run.out("outcome").stream()
                .collect(Collectors.toMap(o -> o.path("session_id").asText(), o -> o));
        Map<String, Integer> v1Turns = V1Sessions.visitorTurns();
        for (String session : V1Sessions.openSessions()) {
            JsonNode o = outcomes.get(session);
            assertThat(o).as(session).isNotNull();
            assertThat(o.path("visitor_turns").asInt()).as(session).isEqualTo(v1Turns.get(session) + 1);
            assertThat(o.path("opened_at").asText()).as(session).isEqualTo(V1Sessions.openedAt().get(session).toString());
            assertThat(o.path("close_reason").asText()).as(session).isEqualTo("inactivity");
        }
        // a closed session stays closed: a new message starts afresh, a redelivery starts nothing
        assertThat(outcomes.get("closed-2").path("visitor_turns").asInt()).isEqualTo(1);
        assertThat(outcomes).doesNotContainKey("closed-1");
        // a slot filled (or asked) in v1 is not asked again
        for (JsonNode a : run.out("action")) {
            if (a.path("action").asText().equals(ActionType.ASK_SLOT.name())) {
                SessionMemory m = memory.get(a.path("session_id").asText()).memory;
                assertThat(a.path("slot").asText()).as(a.toString())
                        .isNotIn(m.getSlots().keySet()).isNotIn(m.getAskedSlots());
            }
        }
        // restored SLA timers fire: unaccepted v1 handoffs are re-escalated, accepted ones are not
        Set<String> reEscalated = run.out("handoff").stream().filter(h -> h.path("escalation").asInt() > 0)
                .map(h -> h.path("session_id").asText()).collect(Collectors.toCollection(HashSet::new));
        assertThat(reEscalated).contains("handoff-3", "handoff-4", "handoff-5", "handoff-6")
                .doesNotContain("handoff-1", "handoff-2");
    }

    static ChatEvent followUp(String session, String eventId, int secondsAfterT0, String text) {
        String tenant = V1Sessions.events().stream().filter(e -> e.getSessionId().equals(session))
                .findFirst().map(ChatEvent::getTenantId).orElse("acme");
        return ChatEvent.newBuilder()
                .setEventId(eventId)
                .setSessionId(session)
                .setTenantId(tenant)
                .setSenderRole(SenderRole.VISITOR)
                .setText(text)
                .setSentAt(V1Sessions.T0.plusSeconds(secondsAfterT0))
                .setTraceId("trace-" + eventId)
                .build();
    }

    private static String lastMessageId(String session) {
        String last = null;
        Set<String> seen = new HashSet<>();
        for (ChatEvent e : V1Sessions.events()) {
            if (e.getSessionId().equals(session) && e.getText() != null && seen.add(e.getEventId())) {
                last = e.getEventId();
            }
        }
        return last;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
