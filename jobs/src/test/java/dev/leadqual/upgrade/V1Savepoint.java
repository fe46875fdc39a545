package dev.leadqual.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leadqual.statetools.SessionState;
import dev.leadqual.statetools.StateTools;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The checked-in v1 savepoint and what its generator recorded about it. */
final class V1Savepoint {

    /** Long TTLs: the savepoint's TTL clocks stopped when it was made (see {@link WorkflowRun#settings()}). */
    static final StateTools.Ttls TTLS = new StateTools.Ttls(Duration.ofDays(3650), Duration.ofDays(3650));

    private V1Savepoint() {}

    static String path() {
        try {
            return Path.of(V1Savepoint.class.getResource("/savepoints/v1/savepoint/_metadata").toURI()).getParent().toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(V1Savepoint.class.getResource("/savepoints/v1/expected-sessions.json"));
    }

    /** The qualify operator's state of a savepoint, by session, read with the State Processor API. */
    static Map<String, SessionState> qualifyState(String savepoint, StateTools.Ttls ttls) throws Exception {
        StreamExecutionEnvironment env = StateTools.environment();
        SavepointReader reader = StateTools.reader(env, savepoint);
        List<SessionState> states = StateTools.collect(StateTools.qualifyState(reader, ttls), "read qualify", n -> { });
        return states.stream().collect(Collectors.toMap(s -> s.sessionId, Function.identity(), (a, b) -> a, TreeMap::new));
    }

    /** The deduplicate operator's state of a savepoint, by session. */
    static Map<String, SessionState> dedupState(String savepoint, StateTools.Ttls ttls) throws Exception {
        StreamExecutionEnvironment env = StateTools.environment();
        SavepointReader reader = StateTools.reader(env, savepoint);
        List<SessionState> states = StateTools.collect(StateTools.dedupState(reader, ttls), "read dedup", n -> { });
        return states.stream().collect(Collectors.toMap(s -> s.sessionId, Function.identity(), (a, b) -> a, TreeMap::new));
    }
}
