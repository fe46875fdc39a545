package dev.leadqual.serde;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.flink.formats.avro.SchemaCoder;

/**
 * The Confluent Schema Registry wire format for flink-avro's registry schemas: one magic byte 0, the
 * schema's 4-byte big-endian global id, then the Avro binary body. Writers find (or register) the
 * schema's id under their subject (TopicNameStrategy: {@code <topic>-value}); readers fetch the
 * writer schema by id.
 */
public final class ConfluentSchemaCoder implements SchemaCoder {

    public static final byte MAGIC_BYTE = 0;

    private final SchemaRegistryClient client;
    private final String subject;
    /** The last schema written and its id: a writer writes one schema, so the hot path skips the lookup. */
    private Schema lastWritten;
    private final byte[] header = new byte[5];

    public ConfluentSchemaCoder(SchemaRegistryClient client, String subject) {
        this.client = client;
        this.subject = subject;
    }

    @Override
    public Schema readSchema(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int magic = data.read();
        if (magic != MAGIC_BYTE) {
            throw new WireFormatException(magic < 0
                    ? "empty record: no magic byte"
                    : "unknown magic byte " + magic + " (not the Confluent wire format)");
        }
        byte[] id = new byte[4];
        if (data.read(id) != 4) {
            throw new WireFormatException("truncated record: no 4-byte schema id");
        }
        return client.schemaById(ByteBuffer.wrap(id).getInt());
    }

    @Override
    public void writeSchema(Schema schema, OutputStream out) throws IOException {
        // Called for every record: registering (or even finding the cached id, keyed by the schema's
        // JSON text) costs far more than the record itself, so the id is kept per schema instance.
        if (schema != lastWritten) {
            int id = client.idOf(subject, schema);
            header[0] = MAGIC_BYTE;
            header[1] = (byte) (id >>> 24);
            header[2] = (byte) (id >>> 16);
            header[3] = (byte) (id >>> 8);
            header[4] = (byte) id;
            lastWritten = schema;
        }
        out.write(header);
    }

    /** Bytes that are not in the Confluent wire format. */
    public static final class WireFormatException extends IOException {
        public WireFormatException(String message) {
            super(message);
        }
    }

    /** Serializable factory: the coder itself (with its HTTP client) is built on the task manager. */
    public record Provider(RegistrySettings registry, String subject) implements SchemaCoder.SchemaCoderProvider {
        @Override
        public SchemaCoder get() {
            return new ConfluentSchemaCoder(SchemaRegistryClient.forSettings(registry), subject);
        }
    }
}
