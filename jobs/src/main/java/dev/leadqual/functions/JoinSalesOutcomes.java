package dev.leadqual.functions;

import dev.leadqual.schema.LeadOutcome;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SessionOutcome;
import dev.leadqual.state.StateLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins what sales made of a lead (meeting booked, won, lost, no-show, from the CRM's outcomes
 * topic) back to the lead, keyed by lead id, and writes it to the warehouse as a post-handoff row
 * of session outcomes — the feedback that calibrates the score. The latest lead version is kept
 * (compact: no contact details) for the outcome retention; an outcome that arrives before its lead
 * waits for it.
 */
public class JoinSalesOutcomes extends KeyedCoProcessFunction<String, QualifiedLead, LeadOutcome, SessionOutcome> {

    private final Duration retention;
    private transient ValueState<QualifiedLead> lead;
    private transient ListState<LeadOutcome> early;
    private transient Counter joined;

    public JoinSalesOutcomes(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void open(OpenContext context) {
        lead = getRuntimeContext().getState(StateLayout.leadForOutcomes(retention));
        early = getRuntimeContext().getListState(StateLayout.earlyOutcomes(retention));
        joined = getRuntimeContext().getMetricGroup().counter("salesOutcomesJoined");
    }

    @Override
    public void processElement1(QualifiedLead l, Context ctx, Collector<SessionOutcome> out) throws Exception {
        QualifiedLead current = lead.value();
        if (current != null && current.getLeadVersion() >= l.getLeadVersion()) {
            return;
        }
        QualifiedLead compact = QualifiedLead.newBuilder(l).setContact(null).setSlots(new java.util.HashMap<>())
                .setSummary("").setContributions(new ArrayList<>()).build();
        lead.update(compact);
        List<LeadOutcome> waiting = new ArrayList<>();
        Iterable<LeadOutcome> it = early.get();
        if (it != null) {
            it.forEach(waiting::add);
        }
        for (LeadOutcome o : waiting) {
            out.collect(row(compact, o));
        }
        early.clear();
    }

    @Override
    public void processElement2(LeadOutcome o, Context ctx, Collector<SessionOutcome> out) throws Exception {
        QualifiedLead l = lead.value();
        if (l == null) {
            early.add(o);
        } else {
            out.collect(row(l, o));
        }
    }

    private SessionOutcome row(QualifiedLead l, LeadOutcome o) {
        joined.inc();
        return SessionOutcome.newBuilder()
                .setOutcomeId("sales-" + l.getLeadId() + "-" + o.getOutcome() + "-" + o.getOccurredAt().toEpochMilli())
                .setTenantId(l.getTenantId())
                .setSessionId(l.getSessionId())
                .setOpenedAt(l.getQualifiedAt())
                .setClosedAt(o.getOccurredAt())
                .setCloseReason("sales_outcome")
                .setQualified(true)
                .setLeadId(l.getLeadId())
                .setFinalScore(l.getScore())
                .setCategory(l.getCategory())
                .setLanguage(l.getLanguage())
                .setSalesOutcome(o.getOutcome().name())
                .setPolicyVersion(l.getPolicyVersion())
                .setTraceId(l.getTraceId())
                .build();
    }
}
