package dev.leadqual.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leadqual.replay.Replay;
import dev.leadqual.udfs.qualify.LeadIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the job made of one archived session under one policy, from the job's own outputs (session
 * outcome, audit records, handoffs). No PII: slots are not carried, message texts are the audit's
 * redacted ones.
 *
 * @param actions the next actions the job emitted, in order (the outcome's action history)
 * @param handedOff a first handoff to sales was emitted
 * @param slaEscalations handoffs re-escalated because nobody accepted them in time (an archive has no
 *     acceptance events, so every handoff that stays open past the SLA counts)
 * @param salesSignal any visitor message understood as sales or presales
 * @param timeToQualificationMs from the first message to qualification (event time), null if never
 * @param steps the decision on every visitor message, in order
 * @param contributions score points per signal at the last decision
 */
public record SessionResult(
        String sessionId,
        String tenantId,
        String leadId,
        String policyVersion,
        boolean qualified,
        boolean handedOff,
        String finalAction,
        List<String> actions,
        int score,
        String category,
        int questionsAsked,
        int escalations,
        int slaEscalations,
        boolean killSwitch,
        boolean rateLimited,
        boolean salesSignal,
        Long timeToQualificationMs,
        int visitorTurns,
        double slotCompleteness,
        List<Replay.Step> steps,
        Map<String, Double> contributions) {

    static SessionResult of(Replay.SessionFold fold) {
        JsonNode o = fold.outcome();
        List<String> actions = new ArrayList<>();
        o.path("actions").forEach(a -> actions.add(a.asText()));
        String tenant = o.path("tenant_id").asText();
        List<Replay.Step> steps = fold.steps();
        return new SessionResult(
                fold.sessionId(),
                tenant,
                LeadIds.leadId(tenant, fold.sessionId()),
                o.path("policy_version").asText(),
                o.path("qualified").asBoolean(),
                fold.handoffs() > 0,
                o.path("final_action").asText(),
                List.copyOf(actions),
                o.path("final_score").asInt(),
                o.path("category").asText(),
                o.path("questions_asked").asInt(),
                o.path("escalations").asInt(),
                fold.slaEscalations(),
                steps.stream().anyMatch(Replay.Step::killSwitch),
                steps.stream().anyMatch(Replay.Step::rateLimited),
                steps.stream().anyMatch(s -> s.category().equals("sales") || s.category().equals("presales")),
                Replay.timeToQualificationMs(o),
                o.path("visitor_turns").asInt(),
                o.path("slot_completeness").asDouble(),
                List.copyOf(steps),
                Map.copyOf(fold.contributions()));
    }

    /** The rule behind the final action: the last decision that changed the action. */
    String finalRule() {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (steps.get(i).emitted()) {
                return steps.get(i).rule();
            }
        }
        return steps.isEmpty() ? null : steps.get(steps.size() - 1).rule();
    }
}
