package dev.leadqual.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka phases' figures in details.json: per CPU-second of job and broker, and the latency at lower offered rates
 * next to the contract's latency figures, without touching results.json's keys.
 */
class KafkaBenchDetailsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void latencyAtLowerRatesGoesToDetailsOnly(@TempDir Path dir) throws Exception {
        BenchResults results = new BenchResults();
        KafkaBench.Latency atTarget = new KafkaBench.Latency(5000, 25, 5, 4998.7, 60_006, 18_646,
                17_005.19, 19_465.54, 19_533.97, 19_556.2, 18_646, 23_106.3, 26_757.1, 26_892.0);
        results.put("p99_ms", atTarget.p99());
        var latency = results.details().putObject("latency");
        atTarget.writeTo(latency);
        var lower = latency.putArray("at_lower_rates");
        new KafkaBench.Latency(500, 15, 5, 500.0, 7_500, 1_812, 21.4, 48.26, 95.0, 130.2, 1_790, 5_012.0, 9_950.0, 10_020.0)
                .writeTo(lower.addObject());
        // A rate at which no action of a measured event arrived: the figures are unknown, not zero.
        new KafkaBench.Latency(2000, 15, 5, 1999.9, 30_000, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0,
                Double.NaN, Double.NaN, Double.NaN).writeTo(lower.addObject());
        results.write(dir);

        JsonNode details = JSON.readTree(dir.resolve("details.json").toFile());
        JsonNode rates = details.path("latency").path("at_lower_rates");
        assertThat(rates.size()).isEqualTo(2);
        assertThat(rates.get(0).path("offered_rate_per_s").asInt()).isEqualTo(500);
        assertThat(rates.get(0).path("duration_s").asInt()).isEqualTo(15);
        assertThat(rates.get(0).path("actions_matched").asLong()).isEqualTo(1_812);
        assertThat(rates.get(0).path("read_uncommitted_p50_ms").asDouble()).isEqualTo(21.4);
        assertThat(rates.get(0).path("read_uncommitted_p99_ms").asDouble()).isEqualTo(48.26);
        assertThat(rates.get(0).path("read_uncommitted_p999_ms").asDouble()).isEqualTo(95.0);
        assertThat(rates.get(1).path("read_uncommitted_p99_ms").isNull()).isTrue();
        assertThat(rates.get(1).path("read_committed_p50_ms").isNull()).isTrue();
        assertThat(details.path("latency").path("read_uncommitted_p99_ms").asDouble()).isEqualTo(19_465.5);
        assertThat(details.path("latency").path("offered_rate_per_s").asInt()).isEqualTo(5000);

        JsonNode contract = JSON.readTree(dir.resolve("results.json").toFile());
        List<String> keys = new ArrayList<>();
        contract.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyElementsOf(BenchResults.KEYS);
        assertThat(contract.get("p99_ms").asDouble()).isEqualTo(19_465.5);
    }

    @Test
    void kafkaThroughputPerCpuSecondCountsJobAndBroker() throws Exception {
        // 60,006 records, 12,001 of them warm-up: 48,005 measured events; 20 CPU-s in the job, 10 in the broker, 6 of it JIT.
        KafkaBench.Throughput t = new KafkaBench.Throughput(1737.3, 60_006, 12_001, 27.63, 20.0, 10.0, 6.0);
        assertThat(t.eventsPerCpuSecond()).isEqualTo(48_005 / 30.0);
        assertThat(t.eventsPerCpuSecondWithoutJit()).isEqualTo(48_005 / 24.0);

        var o = JSON.createObjectNode();
        t.writeTo(o);
        assertThat(o.path("events_per_cpu_s").asDouble()).isEqualTo(1600.2);
        assertThat(o.path("broker_cpu_s").asDouble()).isEqualTo(10.0);

        // No broker process to read (e.g. /proc missing): the per-CPU figure is unknown, not the job's alone.
        var unknown = JSON.createObjectNode();
        new KafkaBench.Throughput(1737.3, 60_006, 12_001, 27.63, 20.0, Double.NaN, 6.0).writeTo(unknown);
        assertThat(unknown.path("broker_cpu_s").isNull()).isTrue();
        assertThat(unknown.path("events_per_cpu_s").isNull()).isTrue();
    }
}
