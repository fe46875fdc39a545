package dev.leadqual.functions;

import dev.leadqual.io.ControlEvent;
import dev.leadqual.io.RawRecord;
import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.KnowledgeArticle;
import dev.leadqual.schema.PolicyUpdate;
import dev.leadqual.schema.PolicyUpdateKind;
import dev.leadqual.udfs.qualify.Policy;
import dev.leadqual.udfs.qualify.PolicyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import dev.leadqual.serde.ConfluentAvroDeserializer;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes the control plane: policy updates and kill switches from the control topic, CRM account
 * upserts and tombstones from the compacted accounts topic, knowledge articles from the compacted
 * articles topic. A policy document is validated here,
 * once: an invalid one goes to the dead-letter topic with the reason and never reaches the
 * operators, so the active policy stays.
 */
public class DecodeControl extends ProcessFunction<RawRecord, ControlEvent> {

    private final String accountsTopic;
    private final String articlesTopic;
    private final ConfluentAvroDeserializer<PolicyUpdate> policies;
    private final ConfluentAvroDeserializer<CrmAccount> accounts;
    private final ConfluentAvroDeserializer<KnowledgeArticle> articles;

    public DecodeControl(String accountsTopic, String articlesTopic, ConfluentAvroDeserializer<PolicyUpdate> policies,
            ConfluentAvroDeserializer<CrmAccount> accounts, ConfluentAvroDeserializer<KnowledgeArticle> articles) {
        this.accountsTopic = accountsTopic;
        this.articlesTopic = articlesTopic;
        this.policies = policies;
        this.accounts = accounts;
        this.articles = articles;
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<ControlEvent> out) throws IOException {
        long now = ctx.timerService().currentProcessingTime();
        boolean isAccount = accountsTopic.equals(raw.topic);
        boolean isArticle = articlesTopic.equals(raw.topic);
        if (raw.value == null) {
            if (isAccount && raw.key != null) {
                out.collect(ControlEvent.accountDeleted(new String(raw.key, StandardCharsets.UTF_8)));
            } else if (isArticle && raw.key != null) {
                out.collect(ControlEvent.articleDeleted(new String(raw.key, StandardCharsets.UTF_8)));
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
            if (isArticle) {
                out.collect(ControlEvent.of(articles.deserialize(raw.value)));
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
