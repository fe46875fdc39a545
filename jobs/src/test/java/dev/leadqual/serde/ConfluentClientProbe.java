package dev.leadqual.serde;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in its own JVM whose classpath holds Confluent's schema-registry client as Flink ships it
 * (flink-sql-avro-confluent-registry, with Avro and the client shaded) instead of flink-avro: the
 * other side of the wire-format compatibility test. Reflection only, so it compiles without that jar.
 *
 * <pre>
 * decode URL SCHEMA_FILE IN_BYTES OUT_JSON       Confluent's deserializer reads our bytes
 * encode URL SCHEMA_FILE IN_JSON OUT_BYTES SUBJECT  Confluent's serializer writes bytes for us to read
 * </pre>
 */
public final class ConfluentClientProbe {

    private static final String SHADED_AVRO = "org.apache.flink.avro.shaded.org.apache.avro.";
    private static final String CONFLUENT_FORMAT = "org.apache.flink.formats.avro.registry.confluent.";

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String url = args[1];
        Object schema = parseSchema(Files.readString(Path.of(args[2])));
        Class<?> schemaClass = Class.forName(SHADED_AVRO + "Schema");
        if (mode.equals("decode")) {
            Class<?> de = Class.forName(CONFLUENT_FORMAT + "ConfluentRegistryAvroDeserializationSchema");
            Object deserializer = de.getMethod("forGeneric", schemaClass, String.class).invoke(null, schema, url);
            Object record = de.getMethod("deserialize", byte[].class).invoke(deserializer, (Object) Files.readAllBytes(Path.of(args[3])));
            Files.writeString(Path.of(args[4]), record.toString(), StandardCharsets.UTF_8);
        } else {
            Object record = fromJson(schema, schemaClass, Files.readString(Path.of(args[3])));
            Class<?> se = Class.forName(CONFLUENT_FORMAT + "ConfluentRegistryAvroSerializationSchema");
            Object serializer = se.getMethod("forGeneric", String.class, schemaClass, String.class).invoke(null, args[5], schema, url);
            Method serialize = se.getMethod("serialize", Object.class);
            Files.write(Path.of(args[4]), (byte[]) serialize.invoke(serializer, record));
        }
    }

    private static Object parseSchema(String json) throws Exception {
        Class<?> parser = Class.forName(SHADED_AVRO + "Schema$Parser");
        return parser.getMethod("parse", String.class).invoke(parser.getConstructor().newInstance(), json);
    }

    /** Avro's JSON encoding of a record, read with the shaded GenericDatumReader. */
    private static Object fromJson(Object schema, Class<?> schemaClass, String json) throws Exception {
        Class<?> factory = Class.forName(SHADED_AVRO + "io.DecoderFactory");
        Object decoderFactory = factory.getMethod("get").invoke(null);
        Object decoder = factory.getMethod("jsonDecoder", schemaClass, String.class).invoke(decoderFactory, schema, json);
        Class<?> readerClass = Class.forName(SHADED_AVRO + "generic.GenericDatumReader");
        Object reader = readerClass.getConstructor(schemaClass).newInstance(schema);
        Class<?> decoderClass = Class.forName(SHADED_AVRO + "io.Decoder");
        return readerClass.getMethod("read", Object.class, decoderClass).invoke(reader, null, decoder);
    }
}
