package dev.leadqual.serde;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.avro.Conversion;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * Reads generated Avro records in the Confluent wire format ({@link ConfluentSchemaCoder}: magic byte,
 * schema id, Avro binary written with that schema, resolved to the class's schema). What flink-avro's
 * {@code RegistryAvroDeserializationSchema} does, with one reader kept per writer schema: that one set
 * the writer schema on its reader for every record, which throws away the reader's plan each time.
 * Reads with Avro's default (resolving) reader, not the fast one {@link AvroModels} turns on for data
 * the job wrote itself: bytes from outside may be anything, and what a reader says about bad bytes
 * (the dead letter's reason) stays as it was.
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements DeserializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final ConfluentSchemaCoder.Provider coder;

    private transient ConfluentSchemaCoder schemas;
    private transient SpecificData model;
    private transient Schema readerSchema;
    private transient Map<Schema, SpecificDatumReader<T>> readers;
    private transient BinaryDecoder decoder;

    public ConfluentAvroDeserializer(Class<T> type, String subject, RegistrySettings registry) {
        this.type = type;
        this.coder = new ConfluentSchemaCoder.Provider(registry, subject);
    }

    @Override
    public T deserialize(byte[] message) throws IOException {
        if (message == null) {
            return null;
        }
        if (schemas == null) {
            init();
        }
        ByteArrayInputStream in = new ByteArrayInputStream(message);
        Schema writer = schemas.readSchema(in);
        SpecificDatumReader<T> reader = readers.get(writer);
        if (reader == null) {
            reader = new SpecificDatumReader<>(writer, readerSchema, model);
            readers.put(writer, reader);
        }
        int at = message.length - in.available();
        decoder = DecoderFactory.get().binaryDecoder(message, at, message.length - at, decoder);
        return reader.read(null, decoder);
    }

    private void init() {
        schemas = (ConfluentSchemaCoder) coder.get();
        // The class's own conversions (timestamps as Instant), without the fast reader.
        SpecificData own = SpecificData.getForClass(type);
        model = new SpecificData(type.getClassLoader());
        for (Conversion<?> c : own.getConversions()) {
            model.addLogicalTypeConversion(c);
        }
        model.setFastReaderEnabled(false);
        readerSchema = own.getSchema(type);
        readers = new IdentityHashMap<>(); // the registry client keeps one Schema instance per id
    }

    @Override
    public boolean isEndOfStream(T next) {
        return false;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public TypeInformation<T> getProducedType() {
        return new AvroTypeInfo(type);
    }
}
