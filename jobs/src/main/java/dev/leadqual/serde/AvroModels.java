package dev.leadqual.serde;

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
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro's fast reader ({@code FastReaderBuilder}: a reader planned once per writer/reader schema pair,
 * instead of a resolving decoder and per-value dispatch) for the generated records that have no
 * generated coders, i.e. those with {@code timestamp-millis} fields: chat events (decoded from Kafka,
 * and between the job's stages), control records, leads (kept for the sales-outcome join). Set on each
 * class's own model, which every reader of it uses (flink-avro's serializers and registry schemas):
 * the same records as Avro's default reader, old writer schemas included (FastReadingTest). Avro
 * leaves it off unless asked. Idempotent; call before reading ({@link #useFastReading}).
 */
public final class AvroModels {

    static final List<Class<? extends SpecificRecord>> FAST_READING = List.of(ChatEvent.class, DeadLetter.class,
            PolicyUpdate.class, CrmAccount.class, KnowledgeArticle.class, LeadOutcome.class, QualifiedLead.class,
            NextAction.class, SalesHandoff.class, SessionOutcome.class, QualificationMetric.class, DecisionAudit.class,
            ArchivedTurn.class);

    static {
        for (Class<? extends SpecificRecord> type : FAST_READING) {
            SpecificData.getForClass(type).setFastReaderEnabled(true);
        }
    }

    private AvroModels() {}

    /** Turns the fast reader on (once per JVM and class loader; later calls do nothing). */
    public static void useFastReading() {
        // the static initializer does it
    }
}
