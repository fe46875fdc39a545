package dev.leadqual.it;

import dev.leadqual.config.Topics;
import dev.leadqual.io.OutputReader;
import dev.leadqual.schema.ArchivedTurn;
import dev.leadqual.schema.DeadLetter;
import dev.leadqual.schema.DecisionAudit;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.QualificationMetric;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.schema.SessionOutcome;
import dev.leadqual.serde.RegistrySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;

/** Everything the job wrote to its output topics, by type, as a downstream read_committed consumer sees it. */
class JobOutputs implements AutoCloseable {
    final List<NextAction> actions = new ArrayList<>();
    final List<QualifiedLead> leads = new ArrayList<>();
    final List<SalesHandoff> handoffs = new ArrayList<>();
    final List<SessionOutcome> outcomes = new ArrayList<>();
    final List<QualificationMetric> metrics = new ArrayList<>();
    final List<DecisionAudit> audit = new ArrayList<>();
    final List<ArchivedTurn> archive = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    private final OutputReader reader;

    JobOutputs(String bootstrapServers, String registryUrl, Topics t, Properties consumerProperties) {
        Map<String, Class<? extends SpecificRecord>> types = new HashMap<>();
        types.put(t.actions(), NextAction.class);
        types.put(t.leads(), QualifiedLead.class);
        types.put(t.handoffs(), SalesHandoff.class);
        types.put(t.sessionOutcomes(), SessionOutcome.class);
        types.put(t.metrics(), QualificationMetric.class);
        types.put(t.audit(), DecisionAudit.class);
        types.put(t.archive(), ArchivedTurn.class);
        types.put(t.deadLetters(), DeadLetter.class);
        reader = new OutputReader(bootstrapServers, consumerProperties, RegistrySettings.of(registryUrl), types);
    }

    /** One poll of every output topic; always true, so it can lead a condition. */
    boolean poll() {
        for (OutputReader.Received r : reader.poll(Duration.ofMillis(200))) {
            SpecificRecord v = r.value();
            if (v instanceof NextAction a) actions.add(a);
            else if (v instanceof QualifiedLead l) leads.add(l);
            else if (v instanceof SalesHandoff h) handoffs.add(h);
            else if (v instanceof SessionOutcome o) outcomes.add(o);
            else if (v instanceof QualificationMetric m) metrics.add(m);
            else if (v instanceof DecisionAudit d) audit.add(d);
            else if (v instanceof ArchivedTurn a) archive.add(a);
            else if (v instanceof DeadLetter d) deadLetters.add(d);
        }
        return true;
    }

    /** Polls until {@code done} holds or the deadline passes; returns whether it held. */
    boolean awaitUntil(Predicate<? super JobOutputs> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            poll();
            if (done.test(this)) {
                return true;
            }
        }
        return false;
    }

    /** Keeps polling for {@code d}: what arrives meanwhile is collected. */
    void pollFor(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            poll();
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
