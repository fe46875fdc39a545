package dev.leadqual.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.schema.state.SessionMemory;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Session memory is read and written with Avro's generated coders (see StateLayout): they must read
 * state written by an older schema (fields added since then take their defaults) exactly as Avro's
 * reflective path does, and write the same bytes.
 */
class GeneratedCodersTest {

    private final SpecificData model = SpecificData.getForClass(SessionMemory.class);

    @AfterEach
    void restore() {
        StateLayout.sessionMemory(Duration.ofDays(1)); // leaves the generated coders on, as the job runs
    }

    @Test
    void memoryFromAnOlderWriterReadsAndWritesAsWithoutThem() throws Exception {
        StateLayout.sessionMemory(Duration.ofDays(1));
        assertThat(model.useCustomCoders()).isTrue();
        Schema current = SessionMemory.getClassSchema();
        List<Schema.Field> older = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            if (!Set.of("summary", "sla_timer", "policy_version").contains(f.name())) {
                older.add(new Schema.Field(f, f.schema()));
            }
        }
        Schema writer = Schema.createRecord(current.getName(), null, current.getNamespace(), false, older);
        GenericRecord r = new GenericData.Record(writer);
        for (Schema.Field f : writer.getFields()) {
            r.put(f.name(), GenericData.get().getDefaultValue(f));
        }
        r.put("tenant_id", "acme");
        r.put("visitor_turns", 3);
        GenericRecord slot = new GenericData.Record(writer.getField("slots").schema().getValueType());
        slot.put("value", "50000 USD/year");
        slot.put("confidence", 0.9);
        slot.put("event_id", "e1");
        slot.put("at", 5L);
        slot.put("quote", "around 50k a year");
        slot.put("superseded", List.of("10000 USD/year"));
        r.put("slots", Map.of("budget", slot));
        byte[] bytes = write(new GenericDatumWriter<>(writer), r, writer);

        SessionMemory generated = read(bytes, writer, true);
        SessionMemory reflective = read(bytes, writer, false);

        assertThat(generated).isEqualTo(reflective);
        assertThat(generated.getSlots().get("budget").getSuperseded()).containsExactly("10000 USD/year");
        assertThat(generated.getSummary()).isEmpty();
        assertThat(generated.getPolicyVersion()).isEmpty();
        model.setCustomCoders(true);
        byte[] withGenerated = write(new SpecificDatumWriter<>(current, model), generated, current);
        model.setCustomCoders(false);
        byte[] withReflective = write(new SpecificDatumWriter<>(current, model), generated, current);
        assertThat(withGenerated).isEqualTo(withReflective);
    }

    private SessionMemory read(byte[] bytes, Schema writer, boolean generatedCoders) throws Exception {
        model.setCustomCoders(generatedCoders);
        return new SpecificDatumReader<SessionMemory>(writer, SessionMemory.getClassSchema(), model)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] write(org.apache.avro.io.DatumWriter w, Object record, Schema schema) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        w.write(record, enc);
        enc.flush();
        return out.toByteArray();
    }
}
