package dev.leadqual.serde;

import org.apache.avro.specific.SpecificRecord;

/** The Confluent wire format (de)serialization schemas for our generated records, by topic. */
public final class AvroRegistrySerdes {

    private AvroRegistrySerdes() {}

    /** Confluent's default subject naming (TopicNameStrategy). */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    public static <T extends SpecificRecord> ConfluentAvroSerializer<T> serializer(
            Class<T> type, String topic, RegistrySettings registry) {
        return new ConfluentAvroSerializer<>(type, valueSubject(topic), registry);
    }

    public static <T extends SpecificRecord> ConfluentAvroDeserializer<T> deserializer(
            Class<T> type, String topic, RegistrySettings registry) {
        return new ConfluentAvroDeserializer<>(type, valueSubject(topic), registry);
    }
}
