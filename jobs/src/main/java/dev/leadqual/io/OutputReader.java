package dev.leadqual.io;

import dev.leadqual.serde.AvroRegistrySerdes;
import dev.leadqual.serde.RegistrySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import dev.leadqual.serde.ConfluentAvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the job's output topics as a downstream consumer would (read_committed, Avro through the
 * registry): the demo prints what it reads, the tests assert on it.
 */
public final class OutputReader implements AutoCloseable {

    /** One output record. */
    public record Received(String topic, String key, SpecificRecord value) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, ConfluentAvroDeserializer<? extends SpecificRecord>> decoders = new HashMap<>();

    public OutputReader(String bootstrap, Properties extra, RegistrySettings registry,
            Map<String, Class<? extends SpecificRecord>> typesByTopic) {
        Properties p = new Properties();
        p.putAll(extra);
        p.setProperty("bootstrap.servers", bootstrap);
        p.setProperty("group.id", "leadqual-reader-" + UUID.randomUUID());
        p.setProperty("auto.offset.reset", "earliest");
        p.setProperty("enable.auto.commit", "false");
        p.setProperty("isolation.level", "read_committed");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        typesByTopic.forEach((topic, type) -> decoders.put(topic, decoder(type, topic, registry)));
        consumer.subscribe(typesByTopic.keySet());
    }

    private static <T extends SpecificRecord> ConfluentAvroDeserializer<T> decoder(
            Class<T> type, String topic, RegistrySettings registry) {
        return AvroRegistrySerdes.deserializer(type, topic, registry);
    }

    public List<Received> poll(Duration timeout) {
        List<Received> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            SpecificRecord value = null;
            if (r.value() != null) {
                try {
                    value = decoders.get(r.topic()).deserialize(r.value());
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot decode " + r.topic() + "@" + r.offset(), e);
                }
            }
            out.add(new Received(r.topic(), key, value));
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
