package dev.leadqual.io;

import dev.leadqual.config.JobSettings;
import dev.leadqual.config.Topics;
import dev.leadqual.schema.ArchivedTurn;
import dev.leadqual.schema.DeadLetter;
import dev.leadqual.schema.DecisionAudit;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.QualificationMetric;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.schema.SessionOutcome;
import dev.leadqual.serde.AvroRegistrySerdes;
import dev.leadqual.serde.SchemaRegistryClient;
import dev.leadqual.state.StateLayout;
import dev.leadqual.workflow.JobOutputs;
import dev.leadqual.workflow.OutputSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The job's Kafka source and exactly-once Avro sinks, built from {@link JobSettings}. */
public final class KafkaConnections {

    /** Must not exceed the broker's transaction.max.timeout.ms; longer than any checkpoint. */
    static final String TRANSACTION_TIMEOUT_MS = String.valueOf(15 * 60 * 1000);

    /**
     * Producer linger of the chat-facing sink (next actions): the only output whose delay before it reaches the
     * broker is the pipeline's own latency (read_uncommitted consumers see it then; read_committed ones at the
     * checkpoint's commit).
     */
    static final int ACTIONS_LINGER_MS = 5;

    /**
     * Producer linger of every other sink. Exactly-once output becomes visible to read_committed consumers only when
     * the checkpoint commits the transaction, and the commit flushes every producer first, so a longer linger delays
     * nothing a consumer sees; it makes the batches larger and the produce requests fewer (each request costs a
     * wake-up of the producer's sender thread and of the broker's network and request threads).
     */
    static final int BULK_LINGER_MS = 100;

    /** Room for {@link #BULK_LINGER_MS} of one partition's records in one batch (the default 16 KB fills in ~30 ms). */
    static final int BULK_BATCH_BYTES = 128 * 1024;

    private KafkaConnections() {}

    /** Native Avro chat events and raw platform webhooks, read committed, undecoded. */
    public static KafkaSource<RawRecord> chatSource(JobSettings s) {
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(s.bootstrapServers())
                .setProperties(s.kafkaClientProperties())
                .setTopics(List.of(s.topics().chatEvents(), s.topics().rawChat()))
                .setGroupId(s.groupId())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "60000")
                .build();
    }

    /**
     * Policy updates, kill switches, CRM accounts and knowledge articles. Always read from the earliest offset on a fresh
     * start (the latest policy and every account must be known); a restore resumes from the checkpoint.
     */
    public static KafkaSource<RawRecord> controlSource(JobSettings s) {
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(s.bootstrapServers())
                .setProperties(s.kafkaClientProperties())
                .setTopics(List.of(s.topics().controlPolicy(), s.topics().crmAccounts(), s.topics().kbArticles()))
                .setGroupId(s.groupId() + "-control")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    /** What sales made of each lead (meeting booked, won, lost, no-show), from the CRM. */
    public static KafkaSource<RawRecord> salesOutcomesSource(JobSettings s) {
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(s.bootstrapServers())
                .setProperties(s.kafkaClientProperties())
                .setTopics(List.of(s.topics().crmOutcomes()))
                .setGroupId(s.groupId() + "-outcomes")
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    /** Every output topic and the record type written to it (the sinks of {@link #outputs}). */
    public static Map<String, Class<? extends SpecificRecord>> outputTypes(Topics t) {
        Map<String, Class<? extends SpecificRecord>> m = new LinkedHashMap<>();
        m.put(t.leads(), QualifiedLead.class);
        m.put(t.actions(), NextAction.class);
        m.put(t.handoffs(), SalesHandoff.class);
        m.put(t.sessionOutcomes(), SessionOutcome.class);
        m.put(t.metrics(), QualificationMetric.class);
        m.put(t.audit(), DecisionAudit.class);
        m.put(t.archive(), ArchivedTurn.class);
        m.put(t.deadLetters(), DeadLetter.class);
        return m;
    }

    /**
     * Registers every output's schema under its subject, in the client, before the job is submitted:
     * the sinks then only look their schema's id up. Parallel sink instances in several task manager
     * JVMs registering the same schema at the same moment made the local registry answer HTTP 500 and
     * then fail the subject. Fails fast when the registry cannot be reached.
     */
    public static void registerOutputSchemas(JobSettings s) {
        SchemaRegistryClient client = SchemaRegistryClient.forSettings(s.registry());
        for (Map.Entry<String, Class<? extends SpecificRecord>> e : outputTypes(s.topics()).entrySet()) {
            try {
                client.register(AvroRegistrySerdes.valueSubject(e.getKey()), SpecificData.get().getSchema(e.getValue()));
            } catch (IOException failed) {
                throw new UncheckedIOException("Cannot register the schema of " + e.getKey() + " at " + s.registry(), failed);
            }
        }
    }

    public static JobOutputs outputs(JobSettings s) {
        var t = s.topics();
        return new JobOutputs(
                sink(s, t.leads(), "crm.leads", QualifiedLead.class, QualifiedLead::getLeadId, false),
                sink(s, t.actions(), "chat.actions", NextAction.class, NextAction::getSessionId, true),
                sink(s, t.handoffs(), "sales.handoffs", SalesHandoff.class, SalesHandoff::getLeadId, false),
                sink(s, t.sessionOutcomes(), "warehouse.session_outcomes", SessionOutcome.class, SessionOutcome::getSessionId, false),
                sink(s, t.metrics(), "warehouse.qualification_metrics", QualificationMetric.class, QualificationMetric::getSessionId, false),
                sink(s, t.audit(), "audit.decisions", DecisionAudit.class, DecisionAudit::getSessionId, false),
                sink(s, t.archive(), "chat.archive", ArchivedTurn.class, ArchivedTurn::getSessionId, false),
                sink(s, t.deadLetters(), "dead.letters", DeadLetter.class, DeadLetter::getDeadLetterId, false));
    }

    /** A record's Kafka key, as a serializable function. */
    @FunctionalInterface
    public interface KeyOf<T> extends java.io.Serializable {
        String key(T record);
    }

    private static <T extends SpecificRecord> OutputSink<T> sink(
            JobSettings s, String topic, String defaultName, Class<T> type, KeyOf<T> keyOf, boolean chatFacing) {
        return stream -> stream
                .sinkTo(kafkaSink(s, topic, defaultName, type, keyOf, chatFacing))
                .uid(StateLayout.sinkUid(defaultName))
                .name("Kafka " + topic);
    }

    /** An exactly-once sink; {@code chatFacing}: the short linger of {@link #ACTIONS_LINGER_MS}, else batched. */
    public static <T extends SpecificRecord> KafkaSink<T> kafkaSink(
            JobSettings s, String topic, String defaultName, Class<T> type, KeyOf<T> keyOf, boolean chatFacing) {
        SerializationSchema<T> key = record -> keyOf.key(record).getBytes(StandardCharsets.UTF_8);
        Properties producer = s.kafkaClientProperties();
        producer.setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        producer.setProperty("linger.ms", String.valueOf(chatFacing ? ACTIONS_LINGER_MS : BULK_LINGER_MS));
        if (!chatFacing) {
            producer.setProperty("batch.size", String.valueOf(BULK_BATCH_BYTES));
        }
        return KafkaSink.<T>builder()
                .setBootstrapServers(s.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(KafkaRecordSerializationSchema.<T>builder()
                        .setTopic(topic)
                        .setKeySerializationSchema(key)
                        .setValueSerializationSchema(AvroRegistrySerdes.serializer(type, topic, s.registry()))
                        .build())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(s.transactionalIdPrefix() + "-" + defaultName)
                .build();
    }
}
