package dev.leadqual.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;

/** Builds flink-avro's registry (de)serialization schemas for our generated records. */
public final class AvroRegistrySerdes {

    private AvroRegistrySerdes() {}

    /** Confluent's default subject naming (TopicNameStrategy). */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    public static <T extends SpecificRecord> RegistryAvroSerializationSchema<T> serializer(
            Class<T> type, String topic, RegistrySettings registry) {
        return RegistryAvroSerializationSchema.forSpecific(
                type, new ConfluentSchemaCoder.Provider(registry, valueSubject(topic)));
    }

    public static <T extends SpecificRecord> RegistryAvroDeserializationSchema<T> deserializer(
            Class<T> type, String topic, RegistrySettings registry) {
        return new RegistryAvroDeserializationSchema<>(
                type, null, new ConfluentSchemaCoder.Provider(registry, valueSubject(topic)));
    }
}
