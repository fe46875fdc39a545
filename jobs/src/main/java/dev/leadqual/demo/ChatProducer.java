package dev.leadqual.demo;

import dev.leadqual.config.Topics;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.serde.AvroRegistrySerdes;
import dev.leadqual.serde.RegistrySettings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.Future;
import dev.leadqual.serde.ConfluentAvroSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends chat traffic the way chat platforms and native producers do: Avro chat events (Confluent
 * wire format, keyed by session) to the chat-events topic, platform webhooks as JSON to the raw
 * topic, and whatever malformed bytes it is given.
 */
public final class ChatProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final ConfluentAvroSerializer<ChatEvent> avro;
    private final Topics topics;

    public ChatProducer(String bootstrap, Properties extra, RegistrySettings registry, Topics topics) {
        Properties p = new Properties();
        p.putAll(extra);
        p.setProperty("bootstrap.servers", bootstrap);
        p.setProperty("acks", "all");
        p.setProperty("enable.idempotence", "true");
        p.setProperty("linger.ms", "2");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.avro = AvroRegistrySerdes.serializer(ChatEvent.class, topics.chatEvents(), registry);
        this.topics = topics;
    }

    public Future<RecordMetadata> send(ChatEvent event) {
        return producer.send(new ProducerRecord<>(topics.chatEvents(), key(event.getSessionId()), avro.serialize(event)));
    }

    public Future<RecordMetadata> sendRaw(String sessionId, byte[] json) {
        return producer.send(new ProducerRecord<>(topics.rawChat(), key(sessionId), json));
    }

    public Future<RecordMetadata> sendBytes(boolean rawTopic, byte[] bytes) {
        return producer.send(new ProducerRecord<>(rawTopic ? topics.rawChat() : topics.chatEvents(), null, bytes));
    }

    /** Sends one generated item; malformed items that need encoding are encoded here. */
    public Future<RecordMetadata> send(SyntheticChats.Item item, SyntheticChats generator, Instant now) {
        return producer.send(record(item, generator, now));
    }

    /** The Kafka record for one generated item, as {@link #send(SyntheticChats.Item, SyntheticChats, Instant)} sends it. */
    public ProducerRecord<byte[], byte[]> record(SyntheticChats.Item item, SyntheticChats generator, Instant now) {
        return record(item, generator, now, avro, topics);
    }

    /** The same without a producer: {@code avro} writes chat events in the Confluent wire format. */
    public static ProducerRecord<byte[], byte[]> record(SyntheticChats.Item item, SyntheticChats generator, Instant now,
            ConfluentAvroSerializer<ChatEvent> avro, Topics topics) {
        if (item instanceof SyntheticChats.Event e) {
            return new ProducerRecord<>(topics.chatEvents(), key(e.event().getSessionId()), avro.serialize(e.event()));
        } else if (item instanceof SyntheticChats.Webhook w) {
            return new ProducerRecord<>(topics.rawChat(), key(w.sessionId()), w.json());
        }
        SyntheticChats.Malformed m = (SyntheticChats.Malformed) item;
        byte[] bytes = switch (m.kind()) {
            case "truncated_avro" -> {
                byte[] full = avro.serialize(generator.eventWithoutText(now));
                yield Arrays.copyOf(full, Math.max(6, full.length / 2));
            }
            case "missing_text" -> avro.serialize(generator.eventWithoutText(now));
            default -> m.bytes();
        };
        return new ProducerRecord<>(m.rawTopic() ? topics.rawChat() : topics.chatEvents(), null, bytes);
    }

    /** Sends a record made by {@link #record}. */
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        return producer.send(record);
    }

    public void flush() {
        producer.flush();
    }

    private static byte[] key(String sessionId) {
        return sessionId.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
