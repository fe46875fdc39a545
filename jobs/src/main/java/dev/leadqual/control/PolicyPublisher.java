package dev.leadqual.control;

import dev.leadqual.config.JobSettings;
import dev.leadqual.schema.PolicyUpdate;
import dev.leadqual.schema.PolicyUpdateKind;
import dev.leadqual.serde.AvroRegistrySerdes;
import dev.leadqual.udfs.qualify.Policy;
import dev.leadqual.udfs.qualify.PolicyException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import dev.leadqual.serde.ConfluentAvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Reads the active policy from, and publishes updates to, the control topic. */
public final class PolicyPublisher implements AutoCloseable {

    private final JobSettings settings;
    private final KafkaProducer<byte[], byte[]> producer;

    public PolicyPublisher(JobSettings settings) {
        this.settings = settings;
        Properties p = settings.kafkaClientProperties();
        p.setProperty("acks", "all");
        p.setProperty("enable.idempotence", "true");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The last valid policy published on the control topic, if any (the one the job applies). */
    public Optional<Policy> active() throws Exception {
        String topic = settings.topics().controlPolicy();
        Properties p = settings.kafkaClientProperties();
        p.setProperty("group.id", "leadqual-policy-" + UUID.randomUUID());
        p.setProperty("enable.auto.commit", "false");
        p.setProperty("isolation.level", "read_committed");
        ConfluentAvroDeserializer<PolicyUpdate> avro =
                AvroRegistrySerdes.deserializer(PolicyUpdate.class, topic, settings.registry());
        Policy last = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            // The control topic has one partition in practice; with several, the newest publish time wins.
            Instant lastAt = Instant.MIN;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        continue;
                    }
                    try {
                        PolicyUpdate u = avro.deserialize(r.value());
                        if (u.getKind() == PolicyUpdateKind.POLICY && !u.getPublishedAt().isBefore(lastAt)) {
                            last = Policy.parse(u.getDocument());
                            lastAt = u.getPublishedAt();
                        }
                    } catch (PolicyException | java.io.IOException invalid) {
                        // rejected by the job too (dead-lettered): not active
                    }
                }
            }
        }
        return Optional.ofNullable(last);
    }

    public void publish(PolicyUpdateKind kind, String tenant, String version, String document, String by)
            throws InterruptedException, ExecutionException {
        String topic = settings.topics().controlPolicy();
        PolicyUpdate u = PolicyUpdate.newBuilder()
                .setUpdateId(UUID.randomUUID().toString())
                .setKind(kind)
                .setTenantId(tenant)
                .setVersion(version)
                .setDocument(document)
                .setPublishedAt(Instant.now())
                .setPublishedBy(by == null ? "" : by)
                .build();
        byte[] value = AvroRegistrySerdes.serializer(PolicyUpdate.class, topic, settings.registry()).serialize(u);
        producer.send(new ProducerRecord<>(topic, "control".getBytes(java.nio.charset.StandardCharsets.UTF_8), value)).get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
