package dev.leadqual.functions;

import dev.leadqual.schema.ArchivedTurn;
import dev.leadqual.schema.DecisionAudit;
import dev.leadqual.schema.QualificationMetric;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.schema.SessionOutcome;
import org.apache.flink.util.OutputTag;

/** The side outputs of {@link QualifySession}; its main output is the next actions. */
public final class QualifyOutputs {
    public static final OutputTag<QualifiedLead> LEADS = new OutputTag<>("leads") {};
    public static final OutputTag<SalesHandoff> HANDOFFS = new OutputTag<>("handoffs") {};
    public static final OutputTag<SessionOutcome> SESSION_OUTCOMES = new OutputTag<>("session-outcomes") {};
    public static final OutputTag<QualificationMetric> METRICS = new OutputTag<>("qualification-metrics") {};
    public static final OutputTag<DecisionAudit> AUDIT = new OutputTag<>("decision-audit") {};
    public static final OutputTag<ArchivedTurn> ARCHIVE = new OutputTag<>("archive") {};

    private QualifyOutputs() {}
}
