package dev.leadqual.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's JSON contract (issue 6): exactly the named keys, numbers or null, never NaN. */
class BenchResultsTest {

    @Test
    void writesExactlyTheContractKeys(@TempDir Path dir) throws Exception {
        BenchResults r = new BenchResults();
        r.put("baseline_events_per_s", 123456.789);
        r.put("pipeline_events_per_s", 65432.1);
        r.put("ratio", 0.53);
        r.put("p99_ms", Double.NaN);
        r.put("cores", 2);
        r.put("git_commit", "abc123");
        r.write(dir);

        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyElementsOf(BenchResults.KEYS);
        assertThat(keys).containsExactly("baseline_events_per_s", "pipeline_events_per_s", "ratio", "kafka_events_per_s",
                "latency_rate_per_s", "p50_ms", "p99_ms", "p999_ms", "state_bytes_per_session", "restore_s_1m_sessions",
                "nlu_us_per_message", "cores", "parallelism", "git_commit");
        assertThat(json.get("baseline_events_per_s").asDouble()).isEqualTo(123456.8);
        assertThat(json.get("ratio").asDouble()).isEqualTo(0.53);
        assertThat(json.get("p99_ms").isNull()).isTrue();
        assertThat(json.get("kafka_events_per_s").isNull()).isTrue();
        assertThat(json.get("cores").asInt()).isEqualTo(2);
        assertThat(json.get("git_commit").asText()).isEqualTo("abc123");
    }

    @Test
    void rejectsKeysOutsideTheContract() {
        assertThatThrownBy(() -> new BenchResults().put("throughput", 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
