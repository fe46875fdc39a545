package dev.leadqual.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The chart's Flink configuration stays in step with the repository's flink-conf/config.yaml (used
 * by the embedded run and the standalone cluster): a savepoint taken on one must restore on the
 * other, and a setting added there must not be forgotten on Kubernetes.
 */
class FlinkConfConsistencyTest {

    private static final Path FLINK_CONF = Path.of("..", "flink-conf", "config.yaml").toAbsolutePath().normalize();

    /** Settings that must be equal: they decide state layout, delivery guarantees or semantics. */
    private static final List<String> MUST_AGREE = List.of(
            "state.backend.type",
            "state.backend.rocksdb.timer-service.factory",
            "execution.checkpointing.mode",
            "execution.checkpointing.incremental",
            "execution.checkpointing.externalized-checkpoint-retention",
            "pipeline.auto-generate-uids",
            "pipeline.max-parallelism",
            "pipeline.generic-types",
            "pipeline.object-reuse",
            "restart-strategy.type",
            "metrics.reporter.prom.factory.class");

    /**
     * Settings that belong to where the cluster runs, so Kubernetes sets them its own way: bind
     * addresses and ports (the operator sets them), process memory (from the chart's resources),
     * default parallelism (job.parallelism).
     */
    private static final List<String> ENVIRONMENT_PREFIXES = List.of(
            "jobmanager.rpc.",
            "jobmanager.bind-host",
            "taskmanager.host",
            "taskmanager.bind-host",
            "rest.",
            "jobmanager.memory.process.size",
            "taskmanager.memory.process.size",
            "parallelism.default");

    @Test
    void everySettingOfTheRepositoryConfigIsCarriedByTheChart() throws Exception {
        Map<String, String> repo = repositoryConfig();
        Map<String, String> chart = chartConfig();

        List<String> missing = new ArrayList<>();
        for (String key : repo.keySet()) {
            if (ENVIRONMENT_PREFIXES.stream().noneMatch(key::startsWith) && !chart.containsKey(key)) {
                missing.add(key + " (" + repo.get(key) + ")");
            }
        }
        assertThat(missing)
                .as("settings in %s missing from values.yaml flinkConfiguration", FLINK_CONF)
                .isEmpty();
    }

    @Test
    void settingsThatDecideStateAndGuaranteesAreEqual() throws Exception {
        Map<String, String> repo = repositoryConfig();
        Map<String, String> chart = chartConfig();

        for (String key : MUST_AGREE) {
            if (repo.containsKey(key)) {
                assertThat(chart.get(key)).as(key).isEqualTo(repo.get(key));
            }
        }
    }

    private static Map<String, String> chartConfig() {
        Map<String, String> conf = new TreeMap<>();
        RenderedChart.render().flinkDeployment().path("spec").path("flinkConfiguration")
                .fields().forEachRemaining(e -> conf.put(e.getKey(), e.getValue().asText()));
        return conf;
    }

    private static Map<String, String> repositoryConfig() throws Exception {
        assumeTrue(Files.isRegularFile(FLINK_CONF), FLINK_CONF + " does not exist yet");
        Map<String, String> flat = new TreeMap<>();
        flatten(RenderedChart.yaml().readTree(FLINK_CONF.toFile()), "", flat);
        return flat;
    }

    /** Flink 2 reads nested and dotted keys alike: a.b: {c: v} is a.b.c: v. */
    private static void flatten(JsonNode node, String prefix, Map<String, String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e ->
                    flatten(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out));
        } else if (!node.isNull()) {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }
}
