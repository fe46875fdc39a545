package dev.leadqual.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.core.memory.ByteArrayOutputStreamWithPos;

/**
 * A generated Avro record in the Confluent wire format (magic byte 0, the schema's 4-byte id under the
 * subject, the Avro binary body): the same bytes as flink-avro's {@code ConfluentAvroSerializer}
 * with our {@link ConfluentSchemaCoder}, with the body written by an {@link AvroBinaryWriter} and the
 * header, encoder and buffer made once. The id is found once per instance (see
 * {@link SchemaRegistryClient#idOf}: a lookup, since the job's client registered the output schemas).
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements SerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final String subject;
    private final RegistrySettings registry;

    private transient AvroBinaryWriter<T> writer;
    private transient ByteArrayOutputStreamWithPos bytes;
    private transient BinaryEncoder encoder;
    private transient byte[] header;

    public ConfluentAvroSerializer(Class<T> type, String subject, RegistrySettings registry) {
        this.type = type;
        this.subject = subject;
        this.registry = registry;
    }

    @Override
    public void open(InitializationContext context) throws Exception {
        init();
    }

    @Override
    public byte[] serialize(T record) {
        if (record == null) {
            return null;
        }
        try {
            if (writer == null) {
                init();
            }
            bytes.reset();
            bytes.write(header);
            writer.write(record, encoder);
            encoder.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serialise a " + type.getSimpleName() + " for subject " + subject, e);
        }
    }

    private void init() throws IOException {
        Schema schema = SpecificData.get().getSchema(type);
        int id = SchemaRegistryClient.forSettings(registry).idOf(subject, schema);
        header = new byte[] {ConfluentSchemaCoder.MAGIC_BYTE, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
        bytes = new ByteArrayOutputStreamWithPos(256);
        encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        writer = AvroBinaryWriter.of(type);
    }
}
