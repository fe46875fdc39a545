package dev.leadqual.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.schema.ArchivedTurn;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.DeadLetter;
import dev.leadqual.schema.DecisionAudit;
import dev.leadqual.schema.KnowledgeArticle;
import dev.leadqual.schema.LeadOutcome;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.PolicyUpdate;
import dev.leadqual.schema.QualificationMetric;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.schema.SessionOutcome;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.TranscriptTurn;
import java.io.ByteArrayOutputStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The outputs' bytes must not change with the faster writer: for every generated record type,
 * records with random content (every field, nulls and non-nulls, enums, maps, arrays, nested records,
 * timestamps) are written by {@link AvroBinaryWriter} and by Avro's {@code SpecificDatumWriter}.
 */
class AvroBinaryWriterTest {

    @ParameterizedTest
    @ValueSource(classes = {NextAction.class, DecisionAudit.class, QualificationMetric.class, QualifiedLead.class,
        SalesHandoff.class, SessionOutcome.class, ArchivedTurn.class, DeadLetter.class, ChatEvent.class,
        PolicyUpdate.class, CrmAccount.class, KnowledgeArticle.class, LeadOutcome.class, SessionMemory.class,
        TranscriptTurn.class})
    <T extends SpecificRecord> void writesWhatAvrosSpecificWriterWrites(Class<T> type) throws Exception {
        Schema schema = SpecificData.get().getSchema(type);
        SpecificData model = SpecificData.getForClass(type);
        AvroBinaryWriter<T> fast = AvroBinaryWriter.of(type);
        int n = 0;
        for (Object random : new RandomData(schema, 300, 42L)) {
            byte[] generic = write(random, new GenericDatumWriter<>(schema));
            // the same content as the generated class (timestamps as Instant, strings as String, enums)
            T record = new SpecificDatumReader<T>(schema, schema, model)
                    .read(null, DecoderFactory.get().binaryDecoder(generic, null));
            byte[] expected = write(record, new SpecificDatumWriter<>(schema, model));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            fast.write(record, encoder);
            encoder.flush();
            assertThat(out.toByteArray()).as("%s #%d", type.getSimpleName(), n).isEqualTo(expected);
            n++;
        }
        assertThat(n).isEqualTo(300);
    }

    private static byte[] write(Object datum, org.apache.avro.io.DatumWriter<Object> writer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
