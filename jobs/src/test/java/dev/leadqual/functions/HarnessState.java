package dev.leadqual.functions;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/** What keyed state a harness holds, readable on RocksDB (whose harness cannot count entries). */
final class HarnessState {

    private HarnessState() {}

    /** The keys (sessions) that hold state under {@code stateName}. */
    static List<String> keysWith(AbstractStreamOperatorTestHarness<?> harness, String stateName) {
        @SuppressWarnings("unchecked")
        KeyedStateBackend<String> backend = (KeyedStateBackend<String>) (KeyedStateBackend<?>) ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend();
        try (Stream<String> keys = backend.getKeys(stateName, VoidNamespace.INSTANCE)) {
            return keys.sorted().collect(Collectors.toList());
        }
    }
}
