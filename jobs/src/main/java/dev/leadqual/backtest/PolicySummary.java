package dev.leadqual.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leadqual.control.Calibration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts a sales-ops person compares between two policies, for one policy's run over the
 * archive: sessions, sales signals, leads, handoffs, escalations, questions, time to qualification,
 * kill-switch and rate-limited sessions, the final-action mix, the score distribution, the
 * time-to-qualification histogram, the funnel and, with sales outcomes, win rates and calibration.
 */
public final class PolicySummary {

    /** Score buckets, as in {@code ./leadqual calibration}. */
    public static final int SCORE_BUCKET_WIDTH = 20;

    /** Time-to-qualification histogram: upper bounds in minutes (the last bin is open). */
    static final double[] TTQ_BOUNDS_MIN = {1, 2, 5, 10, 30, 60};
    static final List<String> TTQ_LABELS = List.of("<1 min", "1-2 min", "2-5 min", "5-10 min", "10-30 min", "30-60 min", ">=1 h");

    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicySummary() {}

    /** Bucket labels, lowest first ("0-19" .. "80-100"). */
    public static List<String> scoreBuckets() {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 100 / SCORE_BUCKET_WIDTH; i++) {
            labels.add(Calibration.bucketLabel(i, SCORE_BUCKET_WIDTH));
        }
        return labels;
    }

    public static String scoreBucket(int score) {
        return Calibration.bucketLabel(Calibration.bucket(score, SCORE_BUCKET_WIDTH), SCORE_BUCKET_WIDTH);
    }

    static int ttqBin(long ms) {
        double min = ms / 60_000.0;
        for (int i = 0; i < TTQ_BOUNDS_MIN.length; i++) {
            if (min < TTQ_BOUNDS_MIN[i]) {
                return i;
            }
        }
        return TTQ_BOUNDS_MIN.length;
    }

    /**
     * @param role "baseline" or "candidate"
     * @param policyFile the file, or "built-in default"
     */
    public static ObjectNode of(String role, String policyFile, String policyVersion, Collection<SessionResult> sessions,
            SalesOutcomes outcomes) {
        ObjectNode o = JSON.createObjectNode();
        o.put("role", role);
        o.put("policy_file", policyFile);
        o.put("policy_version", policyVersion);

        long salesSignal = sessions.stream().filter(SessionResult::salesSignal).count();
        long leads = sessions.stream().filter(SessionResult::qualified).count();
        long handoffs = sessions.stream().filter(SessionResult::handedOff).count();
        long questions = sessions.stream().mapToLong(SessionResult::questionsAsked).sum();
        List<Long> ttq = sessions.stream().map(SessionResult::timeToQualificationMs).filter(t -> t != null).sorted().toList();
        o.put("sessions", sessions.size());
        o.put("sales_signal", salesSignal);
        o.put("leads", leads);
        o.put("handoffs", handoffs);
        o.put("escalated_sessions", sessions.stream().filter(s -> s.escalations() > 0).count());
        o.put("escalations", sessions.stream().mapToLong(SessionResult::escalations).sum());
        o.put("sla_reescalations", sessions.stream().mapToLong(SessionResult::slaEscalations).sum());
        o.put("questions_asked", questions);
        o.put("questions_per_session", sessions.isEmpty() ? 0.0 : round2((double) questions / sessions.size()));
        o.put("kill_switch_sessions", sessions.stream().filter(SessionResult::killSwitch).count());
        o.put("rate_limited_sessions", sessions.stream().filter(SessionResult::rateLimited).count());
        if (ttq.isEmpty()) {
            o.putNull("mean_time_to_qualification_ms");
            o.putNull("median_time_to_qualification_ms");
        } else {
            o.put("mean_time_to_qualification_ms", Math.round(ttq.stream().mapToLong(Long::longValue).average().orElse(0)));
            o.put("median_time_to_qualification_ms", ttq.get((ttq.size() - 1) / 2));
        }

        Map<String, Integer> finals = new TreeMap<>();
        sessions.forEach(s -> finals.merge(s.finalAction(), 1, Integer::sum));
        ObjectNode f = o.putObject("final_actions");
        finals.forEach(f::put);

        int[] scores = new int[100 / SCORE_BUCKET_WIDTH];
        sessions.forEach(s -> scores[Calibration.bucket(s.score(), SCORE_BUCKET_WIDTH)]++);
        ArrayNode sd = o.putArray("score_distribution");
        for (int n : scores) {
            sd.add(n);
        }
        int[] bins = new int[TTQ_LABELS.size()];
        ttq.forEach(t -> bins[ttqBin(t)]++);
        ArrayNode th = o.putArray("time_to_qualification_histogram");
        for (int n : bins) {
            th.add(n);
        }

        ArrayNode funnel = o.putArray("funnel");
        stage(funnel, "sessions", "Sessions", sessions.size());
        stage(funnel, "sales_signal", "Sales signal", salesSignal);
        stage(funnel, "qualified", "Qualified lead", leads);
        stage(funnel, "handoff", "Handed off to sales", handoffs);
        if (!outcomes.isEmpty()) {
            stage(funnel, "meeting", "Meeting (known)", sessions.stream().filter(s -> s.handedOff() && outcomes.meeting(s)).count());
            stage(funnel, "won", "Won (known)", sessions.stream().filter(s -> s.handedOff() && "WON".equals(outcomes.closed(s))).count());
            o.set("outcomes", outcomes(sessions, outcomes));
        }
        return o;
    }

    private static ObjectNode outcomes(Collection<SessionResult> sessions, SalesOutcomes outcomes) {
        ObjectNode o = JSON.createObjectNode();
        long withOutcome = 0;
        long wonHandedOff = 0;
        long lostHandedOff = 0;
        long wonNotHandedOff = 0;
        Calibration calibration = new Calibration(SCORE_BUCKET_WIDTH);
        for (SessionResult s : sessions) {
            List<String> all = outcomes.of(s);
            if (all.isEmpty()) {
                continue;
            }
            withOutcome++;
            all.forEach(kind -> calibration.add(s.leadId(), s.score(), kind));
            String closed = outcomes.closed(s);
            if (s.handedOff()) {
                wonHandedOff += "WON".equals(closed) ? 1 : 0;
                lostHandedOff += "LOST".equals(closed) ? 1 : 0;
            } else if ("WON".equals(closed)) {
                wonNotHandedOff++;
            }
        }
        o.put("sessions_with_outcome", withOutcome);
        o.put("won_handed_off", wonHandedOff);
        o.put("lost_handed_off", lostHandedOff);
        o.put("won_not_handed_off", wonNotHandedOff);
        if (wonHandedOff + lostHandedOff == 0) {
            o.putNull("handoff_win_rate");
        } else {
            o.put("handoff_win_rate", round2((double) wonHandedOff / (wonHandedOff + lostHandedOff)));
        }
        ArrayNode cal = o.putArray("calibration");
        for (Calibration.Row r : calibration.rows()) {
            ObjectNode row = cal.addObject();
            row.put("bucket", r.from() + "-" + r.to());
            row.put("from", r.from());
            row.put("to", r.to());
            row.put("won", r.won());
            row.put("lost", r.lost());
            if (r.winRate() == null) {
                row.putNull("win_rate");
            } else {
                row.put("win_rate", round2(r.winRate()));
            }
        }
        return o;
    }

    private static void stage(ArrayNode funnel, String key, String label, long count) {
        funnel.addObject().put("stage", key).put("label", label).put("count", count);
    }

    static double round2(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
