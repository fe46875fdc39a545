package dev.leadqual.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;

/** Builds flink-avro's registry (de)serialization schemas for our generated records. */
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

    public static <T extends SpecificRecord> RegistryAvroDeserializationSchema<T> deserializer(
            Class<T> type, String topic, RegistrySettings registry) {
        return new RegistryAvroDeserializationSchema<>(
                type, null, new ConfluentSchemaCoder.Provider(registry, valueSubject(topic)));
    }
}
