package dev.leadqual.functions;

import dev.leadqual.io.RawRecord;
import dev.leadqual.schema.LeadOutcome;
import dev.leadqual.serde.ConfluentSchemaCoder;
import dev.leadqual.serde.SchemaRegistryClient;
import java.io.IOException;
import org.apache.avro.AvroRuntimeException;
import dev.leadqual.serde.ConfluentAvroDeserializer;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Decodes the CRM's sales outcomes; anything unusable goes to the dead-letter topic with the reason. */
public class DecodeSalesOutcomes extends ProcessFunction<RawRecord, LeadOutcome> {

    private final ConfluentAvroDeserializer<LeadOutcome> avro;

    public DecodeSalesOutcomes(ConfluentAvroDeserializer<LeadOutcome> avro) {
        this.avro = avro;
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<LeadOutcome> out) throws IOException {
        long now = ctx.timerService().currentProcessingTime();
        if (raw.value == null) {
            ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "decode", "null record value", null, now));
            return;
        }
        try {
            LeadOutcome o = avro.deserialize(raw.value);
            if (o.getLeadId() == null || o.getLeadId().isBlank()) {
                ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "validate", "sales outcome without lead_id", null, now));
            } else {
                out.collect(o);
            }
        } catch (SchemaRegistryClient.UnknownSchemaException | ConfluentSchemaCoder.WireFormatException e) {
            ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "decode", e.getMessage(), e, now));
        } catch (IOException | AvroRuntimeException | IllegalArgumentException | IndexOutOfBoundsException e) {
            if (e instanceof IOException && String.valueOf(e.getMessage()).contains("HTTP 5")) {
                throw (IOException) e; // registry outage: retried after restart
            }
            ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "decode", "undecodable Avro: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e, now));
        }
    }
}
