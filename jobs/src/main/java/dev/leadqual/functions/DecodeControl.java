package dev.leadqual.functions;

import dev.leadqual.io.ControlEvent;
import dev.leadqual.io.RawRecord;
import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.PolicyUpdate;
import dev.leadqual.schema.PolicyUpdateKind;
import dev.leadqual.udfs.qualify.Policy;
import dev.leadqual.udfs.qualify.PolicyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes the control plane: policy updates and kill switches from the control topic, CRM account
 * upserts and tombstones from the compacted accounts topic. A policy document is validated here,
 * once: an invalid one goes to the dead-letter topic with the reason and never reaches the
 * operators, so the active policy stays.
 */
public class DecodeControl extends ProcessFunction<RawRecord, ControlEvent> {

    private final String accountsTopic;
    private final RegistryAvroDeserializationSchema<PolicyUpdate> policies;
    private final RegistryAvroDeserializationSchema<CrmAccount> accounts;

    public DecodeControl(String accountsTopic, RegistryAvroDeserializationSchema<PolicyUpdate> policies,
            RegistryAvroDeserializationSchema<CrmAccount> accounts) {
        this.accountsTopic = accountsTopic;
        this.policies = policies;
        this.accounts = accounts;
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<ControlEvent> out) throws IOException {
        long now = ctx.timerService().currentProcessingTime();
        boolean isAccount = accountsTopic.equals(raw.topic);
        if (raw.value == null) {
            if (isAccount && raw.key != null) {
                out.collect(ControlEvent.accountDeleted(new String(raw.key, StandardCharsets.UTF_8)));
            } else {
                ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "control", "null record value", null, now));
            }
            return;
        }
        try {
            if (isAccount) {
                out.collect(ControlEvent.of(accounts.deserialize(raw.value)));
                return;
            }
            PolicyUpdate update = policies.deserialize(raw.value);
            if (update.getKind() == PolicyUpdateKind.POLICY) {
                Policy parsed = Policy.parse(update.getDocument());
                if (!parsed.version().equals(update.getVersion())) {
                    update.setVersion(parsed.version()); // the document's own version is the one audited
                }
            } else if (update.getKind() == PolicyUpdateKind.OTHER) {
                ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "policy", "unknown control message kind", null, now));
                return;
            }
            out.collect(ControlEvent.of(update));
        } catch (PolicyException e) {
            ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "policy", "invalid policy: " + e.getMessage(), e, now));
        } catch (IOException | AvroRuntimeException | IllegalArgumentException | IndexOutOfBoundsException e) {
            if (e instanceof IOException io && !(e instanceof dev.leadqual.serde.SchemaRegistryClient.UnknownSchemaException)
                    && !(e instanceof dev.leadqual.serde.ConfluentSchemaCoder.WireFormatException)
                    && String.valueOf(io.getMessage()).contains("HTTP 5")) {
                throw io; // registry outage: retry after restart
            }
            ctx.output(DeadLetters.TAG, DeadLetters.of(raw, "control",
                    "undecodable control record: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e, now));
        }
    }
}
