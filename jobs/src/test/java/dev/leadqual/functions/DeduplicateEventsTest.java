package dev.leadqual.functions;

import static dev.leadqual.functions.ChatEvents.at;
import static dev.leadqual.functions.ChatEvents.visitor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.state.StateLayout;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicateEventsTest {

    private static final Duration TTL = Duration.ofHours(1);
    private KeyedOneInputStreamOperatorTestHarness<String, ChatEvent, ChatEvent> harness;

    static KeyedOneInputStreamOperatorTestHarness<String, ChatEvent, ChatEvent> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateEvents(TTL)), StateLayout.bySession(), Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    @BeforeEach
    void setUp() throws Exception {
        harness = harness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void aRedeliveredEventIsDroppedAndOthersPass() throws Exception {
        ChatEvent first = visitor("s1", "e1", 0, "How much is it?");
        harness.processElement(first, at(0));
        harness.processElement(visitor("s1", "e1", 0, "How much is it?"), at(0));
        harness.processElement(visitor("s1", "e2", 5, "For 50 seats"), at(5));
        harness.processElement(visitor("s2", "e1", 1, "Same id, other session"), at(1));

        assertThat(emittedIds()).containsExactly("s1/e1", "s1/e2", "s2/e1");
        assertThat(HarnessState.keysWith(harness, StateLayout.SEEN_EVENTS)).containsExactly("s1", "s2");
    }

    @Test
    void eventIdsAreForgottenAfterTheDedupTtl() throws Exception {
        harness.setStateTtlProcessingTime(0);
        harness.processElement(visitor("s1", "e1", 0, "hi"), at(0));
        harness.setStateTtlProcessingTime(TTL.toMillis() + 1);
        harness.processElement(visitor("s1", "e1", 0, "hi"), at(0));

        assertThat(emittedIds()).containsExactly("s1/e1", "s1/e1");
    }

    @Test
    void duplicatesStayDroppedAfterRestoreFromASnapshot() throws Exception {
        harness.processElement(visitor("s1", "e1", 0, "hi"), at(0));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = harness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(visitor("s1", "e1", 0, "hi"), at(0));
        harness.processElement(visitor("s1", "e3", 9, "later"), at(9));

        assertThat(emittedIds()).containsExactly("s1/e3");
    }

    private List<String> emittedIds() {
        return harness.extractOutputStreamRecords().stream()
                .map(StreamRecord::getValue)
                .map(e -> e.getSessionId() + "/" + e.getEventId())
                .toList();
    }
}
