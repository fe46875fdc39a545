package dev.leadqual.it;

import dev.leadqual.config.JobSettings;
import dev.leadqual.config.Topics;
import dev.leadqual.infra.LocalInfra;
import dev.leadqual.io.OutputReader;
import dev.leadqual.schema.ArchivedTurn;
import dev.leadqual.schema.DeadLetter;
import dev.leadqual.schema.DecisionAudit;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.QualificationMetric;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.schema.SessionOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
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

    static JobSettings settings(Topics topics, Map<String, String> extra) {
        Map<String, String> args = new HashMap<>(extra);
        args.put("kafka.bootstrap", infra.bootstrapServers());
        args.put("registry.url", infra.registryUrl());
        args.put("group.id", "it-" + topics.chatEvents());
        args.put("transactional-id-prefix", "it-" + topics.chatEvents());
        return JobSettings.from(args, Map.of()).withTopics(topics);
    }

    /** Everything the job wrote, by type, as a downstream read_committed consumer sees it. */
    static final class Outputs {
        final List<NextAction> actions = new ArrayList<>();
        final List<QualifiedLead> leads = new ArrayList<>();
        final List<SalesHandoff> handoffs = new ArrayList<>();
        final List<SessionOutcome> outcomes = new ArrayList<>();
        final List<QualificationMetric> metrics = new ArrayList<>();
        final List<DecisionAudit> audit = new ArrayList<>();
        final List<ArchivedTurn> archive = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        private final OutputReader reader;

        Outputs(Topics t) {
            Map<String, Class<? extends SpecificRecord>> types = new HashMap<>();
            types.put(t.actions(), NextAction.class);
            types.put(t.leads(), QualifiedLead.class);
            types.put(t.handoffs(), SalesHandoff.class);
            types.put(t.sessionOutcomes(), SessionOutcome.class);
            types.put(t.metrics(), QualificationMetric.class);
            types.put(t.audit(), DecisionAudit.class);
            types.put(t.archive(), ArchivedTurn.class);
            types.put(t.deadLetters(), DeadLetter.class);
            reader = new OutputReader(infra.bootstrapServers(), new Properties(),
                    dev.leadqual.serde.RegistrySettings.of(infra.registryUrl()), types);
        }

        /** Polls until {@code done} holds or the deadline passes; returns whether it held. */
        boolean awaitUntil(Predicate<Outputs> done, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (OutputReader.Received r : reader.poll(Duration.ofMillis(250))) {
                    SpecificRecord v = r.value();
                    if (v instanceof NextAction a) actions.add(a);
                    else if (v instanceof QualifiedLead l) leads.add(l);
                    else if (v instanceof SalesHandoff h) handoffs.add(h);
                    else if (v instanceof SessionOutcome o) outcomes.add(o);
                    else if (v instanceof QualificationMetric m) metrics.add(m);
                    else if (v instanceof DecisionAudit d) audit.add(d);
                    else if (v instanceof ArchivedTurn a) archive.add(a);
                    else if (v instanceof DeadLetter d) deadLetters.add(d);
                }
                if (done.test(this)) {
                    return true;
                }
            }
            return false;
        }

        void close() {
            reader.close();
        }
    }
}
