package dev.leadqual.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every record type read with Avro's fast reader ({@link AvroModels}) is the record Avro's default
 * reader makes of the same bytes: random content of today's schema, of the released schemas (what
 * older jobs and producers wrote: fields added since take their defaults) and of an older producer's
 * chat event.
 */
class FastReadingTest {

    private static final Path SCHEMAS = Path.of("../schemas/src/test/resources");

    @AfterAll
    static void fastAgain() {
        AvroModels.FAST_READING.forEach(c -> SpecificData.getForClass(c).setFastReaderEnabled(true));
    }

    @Test
    void readsWhatTheDefaultReaderReads() throws Exception {
        AvroModels.useFastReading();
        Map<String, Schema> released = released();
        for (Class<? extends SpecificRecord> type : AvroModels.FAST_READING) {
            Schema reader = SpecificData.get().getSchema(type);
            List<Schema> writers = new ArrayList<>(List.of(reader));
            if (released.containsKey(reader.getFullName())) {
                writers.add(released.get(reader.getFullName()));
            }
            if (reader.getName().equals("ChatEvent")) {
                writers.add(parse(SCHEMAS.resolve("older/ChatEvent.avsc"), releasedWithout(released, reader.getFullName())));
            }
            for (Schema writer : writers) {
                int n = 0;
                for (Object datum : new RandomData(writer, 200, 7L)) {
                    byte[] bytes = write(writer, datum);
                    Object fast = read(type, writer, bytes, true);
                    Object usual = read(type, writer, bytes, false);
                    assertThat(fast).as("%s #%d", type.getSimpleName(), n++).isEqualTo(usual);
                }
            }
        }
    }

    private static Object read(Class<?> type, Schema writer, byte[] bytes, boolean fast) throws Exception {
        SpecificData model = SpecificData.getForClass(type);
        model.setFastReaderEnabled(fast);
        try {
            SpecificDatumReader<Object> r = new SpecificDatumReader<>(writer, model.getSchema(type), model);
            Object record = r.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            assertThat(record).isInstanceOf(type);
            return record;
        } finally {
            model.setFastReaderEnabled(true);
        }
    }

    private static byte[] write(Schema schema, Object datum) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<>(schema).write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Map<String, Schema> releasedWithout(Map<String, Schema> released, String name) {
        Map<String, Schema> m = new HashMap<>(released);
        m.remove(name);
        return m;
    }

    /** The released schemas by full name (files reference each other's named types). */
    private static Map<String, Schema> released() throws Exception {
        List<String> pending = new ArrayList<>(List.of(
                Files.readString(SCHEMAS.resolve("released/INDEX")).trim().split("\\s+")));
        Map<String, Schema> known = new HashMap<>();
        for (int pass = 0; pass < 5 && !pending.isEmpty(); pass++) {
            for (String file : List.copyOf(pending)) {
                try {
                    Schema s = parse(SCHEMAS.resolve("released").resolve(file), known);
                    known.put(s.getFullName(), s);
                    pending.remove(file);
                } catch (SchemaParseException unresolvedYet) {
                    // a later pass
                }
            }
        }
        assertThat(pending).isEmpty();
        return known;
    }

    private static Schema parse(Path file, Map<String, Schema> known) throws Exception {
        Schema.Parser parser = new Schema.Parser();
        parser.addTypes(known);
        return parser.parse(Files.readString(file));
    }
}
