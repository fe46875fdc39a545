package dev.leadqual.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leadqual.replay.Replay;
import dev.leadqual.udfs.redact.Redactor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The sessions two policies treat differently: a changed decision (final action or the sequence of
 * next actions), qualification, handoff or score bucket. For each, both versions and the rule that
 * made the difference — the first visitor message on which the two policies' audited decisions
 * (rule and action) part, with the rule each policy fired there and the message (redacted).
 */
public final class PolicyDiff {

    /** Kinds of change, most consequential first (the order sessions are ranked by). */
    public static final List<String> CHANGES = List.of("handoff", "qualified", "final_action", "next_actions", "score_bucket");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 280;
    private static final String HANDOFF = "HANDOFF_TO_SALES";

    /** One changed session. */
    public record Change(String sessionId, List<String> changes, SessionResult baseline, SessionResult candidate) {

        /** Higher is more consequential: a handoff change outranks a qualification change, and so on. */
        double weight() {
            double w = 0;
            for (String c : changes) {
                w += 1 << (CHANGES.size() - CHANGES.indexOf(c));
            }
            return w + Math.abs(candidate.score() - baseline.score()) / 100.0;
        }
    }

    /** The two runs' decisions on the same visitor message (turn: its position in the session, from 1). */
    private record Divergence(int turn, Replay.Step baseline, Replay.Step candidate) {
        boolean handoffOnOneSide() {
            return HANDOFF.equals(baseline.action()) != HANDOFF.equals(candidate.action());
        }
    }

    private PolicyDiff() {}

    /** Every session whose outcome differs, most consequential first (then by session id). */
    public static List<Change> changes(Map<String, SessionResult> baseline, Map<String, SessionResult> candidate) {
        List<Change> out = new ArrayList<>();
        for (String session : new TreeSet<>(baseline.keySet())) {
            SessionResult a = baseline.get(session);
            SessionResult b = candidate.get(session);
            if (b == null) {
                continue; // cannot happen with the same input; both runs close every session
            }
            List<String> changes = new ArrayList<>();
            if (a.handedOff() != b.handedOff()) {
                changes.add("handoff");
            }
            if (a.qualified() != b.qualified()) {
                changes.add("qualified");
            }
            if (!a.finalAction().equals(b.finalAction())) {
                changes.add("final_action");
            }
            if (!a.actions().equals(b.actions())) {
                changes.add("next_actions");
            }
            if (!PolicySummary.scoreBucket(a.score()).equals(PolicySummary.scoreBucket(b.score()))) {
                changes.add("score_bucket");
            }
            if (!changes.isEmpty()) {
                out.add(new Change(session, List.copyOf(changes), a, b));
            }
        }
        out.sort(Comparator.comparingDouble(Change::weight).reversed().thenComparing(Change::sessionId));
        return out;
    }

    /** One diff.jsonl line. */
    public static ObjectNode toJson(Change c, SalesOutcomes outcomes) {
        ObjectNode o = JSON.createObjectNode();
        o.put("session_id", c.sessionId());
        o.put("tenant_id", c.baseline().tenantId());
        ArrayNode ch = o.putArray("changes");
        c.changes().forEach(ch::add);
        o.set("baseline", version(c.baseline()));
        o.set("candidate", version(c.candidate()));
        o.set("difference", difference(c.baseline(), c.candidate()));
        if (!outcomes.isEmpty()) {
            List<String> known = outcomes.of(c.baseline());
            ArrayNode k = o.putArray("sales_outcomes");
            known.forEach(k::add);
        }
        return o;
    }

    private static ObjectNode version(SessionResult s) {
        ObjectNode v = JSON.createObjectNode();
        v.put("policy_version", s.policyVersion());
        v.put("final_action", s.finalAction());
        v.put("final_rule", s.finalRule());
        ArrayNode a = v.putArray("next_actions");
        s.actions().forEach(a::add);
        v.put("handed_off", s.handedOff());
        v.put("qualified", s.qualified());
        v.put("score", s.score());
        v.put("score_bucket", PolicySummary.scoreBucket(s.score()));
        v.put("questions_asked", s.questionsAsked());
        v.put("escalations", s.escalations());
        if (s.timeToQualificationMs() == null) {
            v.putNull("time_to_qualification_ms");
        } else {
            v.put("time_to_qualification_ms", s.timeToQualificationMs());
        }
        return v;
    }

    /**
     * The decision that made the difference: for a changed handoff, the visitor message on which one
     * policy handed off and the other did not; otherwise the first message (the same event in both
     * runs) whose decision differs in rule or action. {@code rule} is null when every decision agreed
     * (only the score moved); {@code first_divergence_turn} is set when the runs parted earlier than
     * the decisive message. Score contributions that differ at the last decision explain a score change.
     */
    static ObjectNode difference(SessionResult a, SessionResult b) {
        ObjectNode d = JSON.createObjectNode();
        Map<String, Replay.Step> byEvent = new LinkedHashMap<>();
        b.steps().forEach(s -> byEvent.put(s.eventId(), s));
        List<Divergence> diverging = new ArrayList<>();
        for (int i = 0; i < a.steps().size(); i++) {
            Replay.Step s = a.steps().get(i);
            Replay.Step t = byEvent.get(s.eventId());
            if (t != null && (!s.rule().equals(t.rule()) || !s.action().equals(t.action()))) {
                diverging.add(new Divergence(i + 1, s, t));
            }
        }
        Divergence decisive = diverging.isEmpty() ? null : diverging.get(0);
        if (a.handedOff() != b.handedOff()) {
            decisive = diverging.stream().filter(Divergence::handoffOnOneSide).findFirst().orElse(decisive);
        }
        if (decisive == null) {
            d.putNull("rule");
        } else {
            ObjectNode rule = d.putObject("rule");
            rule.put("baseline", decisive.baseline().rule());
            rule.put("candidate", decisive.candidate().rule());
            d.put("turn", decisive.turn());
            if (decisive != diverging.get(0)) {
                d.put("first_divergence_turn", diverging.get(0).turn());
            }
            d.put("event_id", decisive.baseline().eventId());
            d.put("message", shorten(Redactor.redact(decisive.baseline().redactedText())));
            ObjectNode at = d.putObject("decision");
            at.putObject("baseline").put("action", decisive.baseline().action()).put("score", decisive.baseline().score());
            at.putObject("candidate").put("action", decisive.candidate().action()).put("score", decisive.candidate().score());
        }
        ObjectNode contributions = d.putObject("score_contributions");
        for (String signal : union(a.contributions().keySet(), b.contributions().keySet())) {
            double x = a.contributions().getOrDefault(signal, 0.0);
            double y = b.contributions().getOrDefault(signal, 0.0);
            if (Math.round(x * 10) != Math.round(y * 10)) {
                contributions.putArray(signal).add(PolicySummary.round2(x)).add(PolicySummary.round2(y));
            }
        }
        return d;
    }

    private static TreeSet<String> union(java.util.Set<String> x, java.util.Set<String> y) {
        TreeSet<String> all = new TreeSet<>(x);
        all.addAll(y);
        return all;
    }

    private static String shorten(String s) {
        String t = Objects.requireNonNullElse(s, "");
        return t.length() <= MAX_MESSAGE ? t : t.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
