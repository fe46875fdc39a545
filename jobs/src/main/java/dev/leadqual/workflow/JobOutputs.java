package dev.leadqual.workflow;

import dev.leadqual.schema.ArchivedTurn;
import dev.leadqual.schema.DeadLetter;
import dev.leadqual.schema.DecisionAudit;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.QualificationMetric;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.schema.SessionOutcome;

/** One sink per output of the job, dead letters included. */
public record JobOutputs(
        OutputSink<QualifiedLead> leads,
        OutputSink<NextAction> actions,
        OutputSink<SalesHandoff> handoffs,
        OutputSink<SessionOutcome> sessionOutcomes,
        OutputSink<QualificationMetric> metrics,
        OutputSink<DecisionAudit> audit,
        OutputSink<ArchivedTurn> archive,
        OutputSink<DeadLetter> deadLetters) {}
