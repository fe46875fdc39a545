package dev.leadqual.it;

import dev.leadqual.config.JobSettings;
import dev.leadqual.config.Topics;
import dev.leadqual.infra.LocalInfra;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Integration tests run the real job on Flink's MiniCluster (parallelism 2, RocksDB) against a real
 * Kafka broker and a real schema registry started once per class; each test gets its own topics.
 */
abstract class KafkaTestBase {

    static final int PARALLELISM = 2;

    /** The jobs' metrics, read by tests (declared before the cluster that reports to it). */
    static final InMemoryReporter METRICS = InMemoryReporter.create();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(PARALLELISM)
                    .setConfiguration(flinkConfiguration())
                    .build());

    static LocalInfra infra;
    private static final AtomicInteger TOPIC_SETS = new AtomicInteger();

    static Configuration flinkConfiguration() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.setString("pipeline.generic-types", "false");
        conf.setString("pipeline.auto-generate-uids", "false");
        conf.setString("pipeline.max-parallelism", "128");
        METRICS.addToConfiguration(conf);
        return conf;
    }

    @BeforeAll
    static void startInfra() throws Exception {
        infra = LocalInfra.builder().partitions(PARALLELISM).start();
    }

    @AfterAll
    static void stopInfra() {
        if (infra != null) {
            infra.close();
        }
    }

    /** A fresh set of every topic, named with a unique prefix, created on the broker. */
    static Topics freshTopics() {
        String prefix = "t" + TOPIC_SETS.incrementAndGet() + "-";
        Topics topics = Topics.resolve(name -> prefix + name);
        infra.createTopics(topics.streams(), PARALLELISM, false);
        infra.createTopics(topics.compacted(), PARALLELISM, true);
        return topics;
    }

    /** A reader of every output topic in {@code topics}, as a downstream read_committed consumer. */
    static JobOutputs outputs(Topics topics) {
        return new JobOutputs(infra.bootstrapServers(), infra.registryUrl(), topics, new Properties());
    }

    static JobSettings settings(Topics topics, Map<String, String> extra) {
        Map<String, String> args = new HashMap<>(extra);
        args.put("kafka.bootstrap", infra.bootstrapServers());
        args.put("registry.url", infra.registryUrl());
        args.put("group.id", "it-" + topics.chatEvents());
        args.put("transactional-id-prefix", "it-" + topics.chatEvents());
        return JobSettings.from(args, Map.of()).withTopics(topics);
    }

}
