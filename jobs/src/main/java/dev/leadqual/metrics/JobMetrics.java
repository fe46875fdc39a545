package dev.leadqual.metrics;

import dev.leadqual.schema.ActionType;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The job's own metrics, registered on the operators' metric groups (Flink reports them through
 * whatever reporter the cluster configures; with the Prometheus reporter a key/value group becomes a
 * label, e.g. {@code flink_taskmanager_job_task_operator_decisions{action="ASK_SLOT",...}}). Every
 * counter and histogram is created once, in {@code open()}, or on the first use of a bounded label
 * value; the hot path only increments.
 *
 * <p>README, "Metrics", lists each one and its meaning; {@link #NAMES} is the list the tests look for.
 */
public final class JobMetrics {

    // QualifySession
    public static final String DECISIONS = "decisions";
    public static final String SESSIONS_CLOSED = "sessionsClosed";
    public static final String SESSIONS_QUALIFIED = "sessionsQualified";
    public static final String SESSIONS_ESCALATED = "sessionsEscalated";
    public static final String ESCALATIONS = "escalations";
    public static final String TIME_TO_QUALIFICATION = "timeToQualificationMs";
    public static final String SLOT_COMPLETENESS = "slotCompletenessAtClosePercent";
    public static final String TENANT_MESSAGES = "visitorMessages";
    // DecodeChatInput
    public static final String DEAD_LETTERS = "deadLetters";

    /** Metric names the job registers (without scope and labels). */
    public static final List<String> NAMES = List.of(DECISIONS, SESSIONS_CLOSED, SESSIONS_QUALIFIED, SESSIONS_ESCALATED,
            ESCALATIONS, TIME_TO_QUALIFICATION, SLOT_COMPLETENESS, TENANT_MESSAGES, DEAD_LETTERS);

    /** Tenants with their own label values; later ones are counted under {@link #OTHER_TENANTS}. */
    public static final int MAX_TENANTS = 100;
    public static final String OTHER_TENANTS = "_other";
    /** Distinct reason codes per stage with their own label; others count as {@code other}. */
    static final int MAX_REASONS = 32;
    /** Samples kept by each histogram (a sliding window, as Flink's own latency histograms). */
    static final int HISTOGRAM_WINDOW = 1000;

    private JobMetrics() {}

    /** Dead letters by stage (decode, normalise, validate) and reason code (a small fixed vocabulary). */
    public static final class DeadLetterCounters {
        private final MetricGroup group;
        private final Map<String, Counter> counters = new HashMap<>();

        public DeadLetterCounters(MetricGroup operatorGroup) {
            this.group = operatorGroup;
        }

        /** {@code reason} is a code from the caller's fixed vocabulary (not the free-text reason). */
        public void count(String stage, String reason) {
            String key = stage + '/' + reason;
            Counter c = counters.get(key);
            if (c == null) {
                String r = counters.size() >= MAX_REASONS ? "other" : reason;
                c = counters.computeIfAbsent(stage + '/' + r,
                        k -> group.addGroup("stage", stage).addGroup("reason", r).counter(DEAD_LETTERS));
            }
            c.inc();
        }
    }

    /**
     * What {@code QualifySession} decides, overall and per tenant: decisions by action, sessions closed,
     * qualified and escalated, escalations, time to qualification, slot completeness at close.
     */
    public static final class QualifyMetrics {
        private final MetricGroup group;
        private final Map<ActionType, Counter> decisions = new EnumMap<>(ActionType.class);
        private final Counter sessionsClosed;
        private final Counter sessionsQualified;
        private final Counter sessionsEscalated;
        private final Counter escalations;
        private final Histogram timeToQualification;
        private final Histogram slotCompleteness;
        private final Map<String, Tenant> tenants = new HashMap<>();

        /** The per-tenant counters: the same meanings, labelled {@code tenant}. */
        private static final class Tenant {
            final Counter messages;
            final Counter sessionsClosed;
            final Counter sessionsQualified;
            final Counter escalations;

            Tenant(MetricGroup g) {
                messages = g.counter(TENANT_MESSAGES);
                sessionsClosed = g.counter(SESSIONS_CLOSED);
                sessionsQualified = g.counter(SESSIONS_QUALIFIED);
                escalations = g.counter(ESCALATIONS);
            }
        }

        public QualifyMetrics(MetricGroup operatorGroup) {
            this.group = operatorGroup;
            for (ActionType a : ActionType.values()) {
                decisions.put(a, operatorGroup.addGroup("action", a.name()).counter(DECISIONS));
            }
            sessionsClosed = operatorGroup.counter(SESSIONS_CLOSED);
            sessionsQualified = operatorGroup.counter(SESSIONS_QUALIFIED);
            sessionsEscalated = operatorGroup.counter(SESSIONS_ESCALATED);
            escalations = operatorGroup.counter(ESCALATIONS);
            timeToQualification = operatorGroup.histogram(TIME_TO_QUALIFICATION,
                    new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
            slotCompleteness = operatorGroup.histogram(SLOT_COMPLETENESS,
                    new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        }

        /** A visitor message was understood (counted per tenant: traffic by tenant). */
        public void message(String tenant) {
            tenant(tenant).messages.inc();
        }

        /** An action was emitted. */
        public void decided(String tenant, ActionType action) {
            decisions.get(action).inc();
            if (action == ActionType.ESCALATE_TO_HUMAN) {
                escalations.inc();
                tenant(tenant).escalations.inc();
            }
        }

        /** The session qualified for the first time, {@code millis} after it opened. */
        public void qualified(long millis) {
            timeToQualification.update(Math.max(0, millis));
        }

        /** The session closed; {@code completeness} is the share of required slots filled (0..1). */
        public void closed(String tenant, boolean qualified, boolean escalated, double completeness) {
            Tenant t = tenant(tenant);
            sessionsClosed.inc();
            t.sessionsClosed.inc();
            if (qualified) {
                sessionsQualified.inc();
                t.sessionsQualified.inc();
            }
            if (escalated) {
                sessionsEscalated.inc();
            }
            slotCompleteness.update(Math.round(Math.max(0, Math.min(1, completeness)) * 100));
        }

        private Tenant tenant(String id) {
            Tenant t = tenants.get(id == null ? OTHER_TENANTS : id);
            if (t != null) {
                return t;
            }
            String label = id == null || tenants.size() >= MAX_TENANTS ? OTHER_TENANTS : id;
            return tenants.computeIfAbsent(label, l -> new Tenant(group.addGroup("tenant", l)));
        }
    }
}
