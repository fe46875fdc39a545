package dev.leadqual.functions;

import dev.leadqual.config.JobSettings;
import dev.leadqual.io.ControlEvent;
import dev.leadqual.metrics.JobMetrics;
import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.KnowledgeArticle;
import dev.leadqual.schema.PolicyUpdate;
import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.ArchivedTurn;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.DecisionAudit;
import dev.leadqual.schema.NextAction;
import dev.leadqual.schema.QualificationMetric;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.SessionOutcome;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.SlotMemory;
import dev.leadqual.schema.state.TranscriptTurn;
import dev.leadqual.state.StateLayout;
import dev.leadqual.udfs.qualify.Controls;
import dev.leadqual.udfs.qualify.Decimals;
import dev.leadqual.udfs.qualify.Decision;
import dev.leadqual.udfs.qualify.HandoffSummary;
import dev.leadqual.udfs.qualify.LeadIds;
import dev.leadqual.udfs.qualify.LeadScorer;
import dev.leadqual.udfs.qualify.NextActionPolicy;
import dev.leadqual.udfs.qualify.Policy;
import dev.leadqual.udfs.qualify.Score;
import dev.leadqual.udfs.qualify.SessionMemories;
import dev.leadqual.udfs.qualify.SlotFilling;
import dev.leadqual.udfs.redact.Redactor;
import dev.leadqual.udfs.understand.Slot;
import dev.leadqual.udfs.understand.SlotNames;
import dev.leadqual.udfs.understand.Understander;
import dev.leadqual.udfs.understand.Understanding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Stages 3–6 for one session, keyed by session id: understand the message, remember it (session
 * memory in RocksDB, hot part read and written per message, transcript tail appended without
 * reading), score the lead, decide the next action, and emit what changed: the action (main
 * output), lead upserts, handoffs, warehouse metrics and outcomes, the audit of every decision and
 * archived turns. Timers (event time): inactivity closes the session; an unaccepted handoff is
 * re-escalated after the SLA. All state is cleared when the session closes, and TTL bounds the rest.
 */
public class QualifySession extends KeyedBroadcastProcessFunction<String, ChatEvent, ControlEvent, NextAction>
        implements CheckpointedFunction {

    /** At most this many re-escalations of one handoff. */
    static final int MAX_HANDOFF_ESCALATIONS = 2;

    private final Duration stateTtl;
    private final SessionRetention retention;
    private final SecondOpinion secondOpinion;
    private final long slaMs;
    private final String policyFile;

    private transient ValueState<SessionMemory> memory;
    // Broadcast state descriptors, built once: each StateLayout call builds an AvroTypeInfo by reflection.
    private transient MapStateDescriptor<String, PolicyUpdate> controlState;
    private transient MapStateDescriptor<String, CrmAccount> accountState;
    private transient MapStateDescriptor<String, KnowledgeArticle> articleState;
    private transient ListState<TranscriptTurn> tail;
    private transient Understander understander;
    private transient Policy policy;
    private transient LiveControls controls;
    private transient HandoffRateLimit rateLimit;
    private transient JobMetrics.QualifyMetrics metrics;

    public QualifySession(JobSettings settings) {
        this.stateTtl = settings.stateTtl();
        this.retention = new SessionRetention(settings);
        this.secondOpinion = new SecondOpinion(settings.adapters().llmIntentThreshold());
        this.slaMs = settings.handoffSla().toMillis();
        this.policyFile = settings.policyFile();
    }

    @Override
    public void open(OpenContext context) throws Exception {
        memory = getRuntimeContext().getState(StateLayout.sessionMemory(stateTtl));
        controlState = StateLayout.control();
        accountState = StateLayout.crmAccounts();
        articleState = StateLayout.kbArticles();
        tail = getRuntimeContext().getListState(StateLayout.transcriptTail(stateTtl));
        understander = Understander.loadDefault();
        policy = policyFile == null ? Policy.defaults() : Policy.parse(Files.readString(Path.of(policyFile)));
        controls = new LiveControls(policy);
        metrics = new JobMetrics.QualifyMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        rateLimit = new HandoffRateLimit(getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
        rateLimit.initialize(context.getOperatorStateStore(), context.isRestored());
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        rateLimit.snapshot();
    }

    @Override
    public void processBroadcastElement(ControlEvent control, Context ctx, Collector<NextAction> out) throws Exception {
        controls.apply(control, ctx.getBroadcastState(controlState), ctx.getBroadcastState(accountState),
                ctx.getBroadcastState(articleState));
    }

    @Override
    public void processElement(ChatEvent event, ReadOnlyContext ctx, Collector<NextAction> out) throws Exception {
        policy = controls.policy(ctx.getBroadcastState(controlState));
        SessionMemory m = memory.value();
        if (m == null) {
            m = SessionMemories.fresh(event);
        }
        long at = event.getSentAt().toEpochMilli();
        if (event.getEventType() == ChatEventType.SESSION_CLOSED) {
            memory.update(m);
            close(ctx.getCurrentKey(), m, at, "closed", ctx);
            return;
        }
        if (event.getEventType() == ChatEventType.HANDOFF_ACCEPTED) {
            m.setHandoffAccepted(true);
            m.setSlaTimer(0L);
        }

        // The open question (asked_slot) is read before the message is remembered, which may close it:
        // a terse reply ("around 150k", "Dana") is read as the slot asked for.
        Understanding u = event.getSenderRole() == SenderRole.VISITOR && event.getText() != null
                ? secondOpinion.apply(understander.understand(event.getText(), event.getLocale(), at, m.getAskedSlot()), event)
                : null;
        SessionMemories.remember(m, event, u, policy);
        appendToTail(ctx.getCurrentKey(), m, event, ctx);

        if (u != null) {
            decide(ctx.getCurrentKey(), m, event, u, ctx, out);
        }
        scheduleInactivity(m, ctx);
        memory.update(m);
    }

    private void decide(String session, SessionMemory m, ChatEvent event, Understanding u, ReadOnlyContext ctx,
            Collector<NextAction> out) throws Exception {
        long at = event.getSentAt().toEpochMilli();
        CrmAccount account = LiveControls.account(ctx.getBroadcastState(accountState), m);
        Score score = LeadScorer.score(m, account, policy);
        boolean killSwitch = LiveControls.killSwitch(ctx.getBroadcastState(controlState), m.getTenantId());
        Decision d = NextActionPolicy.decide(m, u, score, account,
                new Controls(killSwitch, rateLimit.handoffsThisHour(m.getTenantId(), at)), policy);
        ActionType previous = m.getLastAction();
        boolean firstHandoff = m.getHandoffAt() == null;
        boolean changed = SessionMemories.record(m, d, score, at);
        // A session handed to sales is a lead even below the score threshold (the visitor asked).
        boolean qualifiedNow = HandoffSummary.isQualified(m, score, policy) || m.getHandoffAt() != null;
        boolean firstQualification = qualifiedNow && m.getQualifiedAt() == null;
        metrics.message(m.getTenantId());

        String articleId = null;
        String message = d.message();
        if (d.action() == ActionType.ANSWER_FROM_KNOWLEDGE) {
            var hit = controls.knowledge(ctx.getBroadcastState(articleState))
                    .best(event.getText(), m.getLanguage(), m.getTenantId());
            if (hit.isPresent()) {
                articleId = hit.get().article().getArticleId();
                message = hit.get().article().getTitle()
                        + (hit.get().article().getUrl() == null ? "" : " " + hit.get().article().getUrl());
                changed = true; // a new question deserves its answer even when the last action was an answer
            }
        }
        if (changed && d.action() != ActionType.NONE) {
            metrics.decided(m.getTenantId(), d.action());
            out.collect(NextAction.newBuilder()
                    .setActionId(actionId(session, event))
                    .setTenantId(m.getTenantId())
                    .setSessionId(session)
                    .setAction(d.action())
                    .setSlot(d.slot())
                    .setMessage(message)
                    .setArticleId(articleId)
                    .setToAgent(d.toAgent())
                    .setRouteTo(d.routeTo())
                    .setLanguage(m.getLanguage())
                    .setReason(d.rule())
                    .setCausedByEventId(event.getEventId())
                    .setDecidedAt(event.getSentAt())
                    .setPolicyVersion(policy.version())
                    .setTraceId(event.getTraceId())
                    .build());
        }
        if (firstQualification) {
            m.setQualifiedAt(at);
            metrics.qualified(at - m.getOpenedAt());
        }
        List<TranscriptTurn> turns = null;
        if (qualifiedNow && (firstQualification || slotsChangedBy(m, event))) {
            turns = readTail();
            m.setLeadVersion(m.getLeadVersion() + 1);
            m.setSummary(HandoffSummary.summarise(m, score, turns));
            ctx.output(QualifyOutputs.LEADS, lead(session, m, score, account, event));
        }
        if (changed && d.action() == ActionType.HANDOFF_TO_SALES && firstHandoff) {
            rateLimit.count(m.getTenantId(), at);
            String summary = m.getSummary();
            if (turns == null) { // the lead was not updated by this message: summarise now
                turns = readTail();
                summary = HandoffSummary.summarise(m, score, turns);
            }
            long sla = at + slaMs;
            m.setSlaTimer(sla);
            ctx.timerService().registerEventTimeTimer(sla);
            ctx.output(QualifyOutputs.HANDOFFS, handoff(session, m, score, summary, turns, d.routeTo(), at, 0, event.getTraceId()));
        }
        ctx.output(QualifyOutputs.METRICS, metric(session, m, event, u, score, changed));
        ctx.output(QualifyOutputs.AUDIT, audit(session, m, event, u, score, d, previous, changed, account, ctx));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<NextAction> out) throws Exception {
        policy = controls.policy(ctx.getBroadcastState(controlState));
        SessionMemory m = memory.value();
        if (m == null) {
            return; // state expired or session already closed: a stale timer
        }
        boolean changed = false;
        if (timestamp == m.getInactivityTimer()) {
            long due = inactivityDue(m);
            if (due <= timestamp) {
                close(ctx.getCurrentKey(), m, timestamp, "inactivity", ctx);
                return;
            }
            // Messages came since the timer was set (they leave it alone): move it to the session's due time.
            ctx.timerService().registerEventTimeTimer(due);
            m.setInactivityTimer(due);
            changed = true;
        }
        if (timestamp == m.getSlaTimer() && !m.getHandoffAccepted()) {
            reEscalate(ctx.getCurrentKey(), m, timestamp, ctx, out);
            changed = true;
        }
        if (changed) {
            memory.update(m);
        }
    }

    private void reEscalate(String session, SessionMemory m, long at, OnTimerContext ctx, Collector<NextAction> out)
            throws Exception {
        int n = m.getHandoffEscalations() + 1;
        m.setHandoffEscalations(n);
        m.setSlaTimer(0L);
        String queue = policy.tenant(m.getTenantId()).routing().humanQueue();
        metrics.decided(m.getTenantId(), ActionType.ESCALATE_TO_HUMAN);
        Score score = LeadScorer.score(m, null, policy);
        List<TranscriptTurn> turns = readTail();
        ctx.output(QualifyOutputs.HANDOFFS, handoff(session, m, score, HandoffSummary.summarise(m, score, turns), turns, queue,
                at, n, m.getTraceId()));
        out.collect(NextAction.newBuilder()
                .setActionId(LeadIds.actionId(session, "sla-" + n))
                .setTenantId(m.getTenantId())
                .setSessionId(session)
                .setAction(ActionType.ESCALATE_TO_HUMAN)
                .setRouteTo(queue)
                .setToAgent(true)
                .setLanguage(m.getLanguage())
                .setReason("handoff_sla_missed")
                .setCausedByEventId("sla-" + n)
                .setDecidedAt(Instant.ofEpochMilli(at))
                .setPolicyVersion(policy.version())
                .setTraceId(m.getTraceId())
                .build());
        if (n < MAX_HANDOFF_ESCALATIONS) {
            long next = at + slaMs;
            m.setSlaTimer(next);
            ctx.timerService().registerEventTimeTimer(next);
        }
    }

    private void close(String session, SessionMemory m, long at, String reason, ReadOnlyContext ctx) throws Exception {
        if (retention.archives(policy, m.getTenantId())) {
            for (TranscriptTurn t : readTail()) {
                ctx.output(QualifyOutputs.ARCHIVE, archived(session, m, t, "session_closed"));
            }
        }
        Long ttq = m.getQualifiedAt() == null ? null : m.getQualifiedAt() - m.getOpenedAt();
        double completeness = slotCompleteness(m);
        ctx.output(QualifyOutputs.SESSION_OUTCOMES, SessionOutcome.newBuilder()
                .setOutcomeId("outcome-" + LeadIds.leadId(m.getTenantId(), session))
                .setTenantId(m.getTenantId())
                .setSessionId(session)
                .setOpenedAt(Instant.ofEpochMilli(m.getOpenedAt()))
                .setClosedAt(Instant.ofEpochMilli(at))
                .setCloseReason(reason)
                .setQualified(m.getQualifiedAt() != null)
                .setLeadId(m.getQualifiedAt() == null ? null : LeadIds.leadId(m.getTenantId(), session))
                .setFinalScore(m.getScore())
                .setCategory(SessionMemories.dominantCategory(m))
                .setFinalAction(m.getLastAction())
                .setActions(m.getActions())
                .setTimeToQualificationMs(ttq)
                .setSlotsFilled(new ArrayList<>(m.getSlots().keySet()))
                .setSlotCompleteness(completeness)
                .setQuestionsAsked(m.getQuestionsAsked())
                .setEscalations(m.getEscalations())
                .setVisitorTurns(m.getVisitorTurns())
                .setAgentTurns(m.getAgentTurns())
                .setBotTurns(m.getBotTurns())
                .setLanguage(m.getLanguage())
                .setPolicyVersion(policy.version())
                .setTraceId(m.getTraceId())
                .build());
        metrics.closed(m.getTenantId(), m.getQualifiedAt() != null, m.getEscalations() > 0, completeness);
        if (m.getInactivityTimer() > 0 && m.getInactivityTimer() != at) {
            ctx.timerService().deleteEventTimeTimer(m.getInactivityTimer());
        }
        if (m.getSlaTimer() > 0 && m.getSlaTimer() != at) {
            ctx.timerService().deleteEventTimeTimer(m.getSlaTimer());
        }
        memory.clear();
        tail.clear();
    }

    /** Appends the turn (redacted) without reading the tail; archives the oldest half when it is full. */
    private void appendToTail(String session, SessionMemory m, ChatEvent e, ReadOnlyContext ctx) throws Exception {
        if (e.getEventType() != ChatEventType.MESSAGE || e.getText() == null) {
            return;
        }
        tail.add(TranscriptTurn.newBuilder()
                .setEventId(e.getEventId())
                .setRole(e.getSenderRole())
                .setText(redactedText(e))
                .setSentAt(e.getSentAt().toEpochMilli())
                .setTraceId(e.getTraceId())
                .build());
        int size = m.getTailSize() + 1;
        int keep = retention.tailTurns(policy, m.getTenantId());
        if (size > 2 * keep) {
            List<TranscriptTurn> turns = readTail();
            int drop = turns.size() - keep;
            if (retention.archives(policy, m.getTenantId())) {
                for (TranscriptTurn t : turns.subList(0, drop)) {
                    ctx.output(QualifyOutputs.ARCHIVE, archived(session, m, t, "tail_full"));
                }
            }
            tail.update(new ArrayList<>(turns.subList(drop, turns.size())));
            size = turns.size() - drop;
        }
        m.setTailSize(size);
    }

    /**
     * Makes sure an inactivity timer is set no later than the session's due time. A timer set earlier
     * stays (when it fires, {@link #onTimer} moves it on): an ordinary message then costs no timer
     * deletion and registration in RocksDB.
     */
    private void scheduleInactivity(SessionMemory m, ReadOnlyContext ctx) {
        long due = inactivityDue(m);
        if (m.getInactivityTimer() <= 0 || due < m.getInactivityTimer()) {
            if (m.getInactivityTimer() > 0) {
                ctx.timerService().deleteEventTimeTimer(m.getInactivityTimer());
            }
            ctx.timerService().registerEventTimeTimer(due);
            m.setInactivityTimer(due);
        }
    }

    /**
     * When the session closes unless another event comes, under the live policy's retention:
     * coalesced to the second (fewer distinct timers).
     */
    private long inactivityDue(SessionMemory m) {
        return ((m.getLastEventAt() + retention.inactivityMs(policy, m.getTenantId())) / 1000 + 1) * 1000;
    }

    private List<TranscriptTurn> readTail() throws Exception {
        List<TranscriptTurn> turns = new ArrayList<>();
        Iterable<TranscriptTurn> it = tail.get();
        if (it != null) {
            it.forEach(turns::add);
        }
        turns.sort(java.util.Comparator.comparingLong(TranscriptTurn::getSentAt));
        return turns;
    }

    private static boolean slotsChangedBy(SessionMemory m, ChatEvent e) {
        for (SlotMemory s : m.getSlots().values()) {
            if (s.getEventId().equals(e.getEventId())) {
                return true;
            }
        }
        return false;
    }

    private QualifiedLead lead(String session, SessionMemory m, Score score, CrmAccount account, ChatEvent e) {
        Map<String, String> slots = new HashMap<>();
        m.getSlots().forEach((k, v) -> slots.put(k, v.getValue()));
        return QualifiedLead.newBuilder()
                .setLeadId(LeadIds.leadId(m.getTenantId(), session))
                .setLeadVersion(m.getLeadVersion())
                .setTenantId(m.getTenantId())
                .setSessionId(session)
                .setQualifiedAt(Instant.ofEpochMilli(m.getQualifiedAt()))
                .setUpdatedAt(e.getSentAt())
                .setScore(score.total())
                .setContributions(score.contributions())
                .setCategory(SessionMemories.dominantCategory(m))
                .setIntent(m.getLastIntent())
                .setContact(dev.leadqual.schema.Contact.newBuilder()
                        .setName(slots.get("name"))
                        .setEmail(slots.get("email"))
                        .setPhone(slots.get("phone"))
                        .setTitle(slots.get("authority"))
                        .build())
                .setCompanyName(slots.get("company"))
                .setCompanySize(slots.get("company_size"))
                .setBudget(slots.get("budget"))
                .setAuthority(slots.get("authority"))
                .setNeed(slots.get("need"))
                .setTimeline(slots.get("timeline"))
                .setSlots(slots)
                .setAccountId(account == null ? null : account.getAccountId())
                .setOwner(account == null ? null : account.getOwner())
                .setSummary(m.getSummary())
                .setLanguage(m.getLanguage())
                .setPolicyVersion(policy.version())
                .setModelId(understander.modelId())
                .setTraceId(e.getTraceId())
                .build();
    }

    private SalesHandoff handoff(String session, SessionMemory m, Score score, String summary, List<TranscriptTurn> turns,
            String routeTo, long at, int escalation, String traceId) {
        List<String> reasons = new ArrayList<>();
        score.contributions().stream()
                .sorted((a, b) -> Double.compare(b.getPoints(), a.getPoints()))
                .limit(3)
                .forEach(c -> reasons.add(c.getSignal() + " +" + Math.round(c.getPoints()) + (c.getDetail().isEmpty() ? "" : " (" + c.getDetail() + ")")));
        String leadId = LeadIds.leadId(m.getTenantId(), session);
        return SalesHandoff.newBuilder()
                .setHandoffId(leadId + "-h" + escalation)
                .setLeadId(leadId)
                .setTenantId(m.getTenantId())
                .setSessionId(session)
                .setScore(score.total())
                .setSummary(summary)
                .setReasons(reasons)
                .setKeyQuotes(HandoffSummary.keyQuotes(m, turns))
                .setRouteTo(routeTo == null ? "sales" : routeTo)
                .setHandedOffAt(Instant.ofEpochMilli(at))
                .setSlaDeadline(Instant.ofEpochMilli(at + slaMs))
                .setEscalation(escalation)
                .setPolicyVersion(policy.version())
                .setSummarySource("rules")
                .setTraceId(traceId)
                .build();
    }

    private QualificationMetric metric(String session, SessionMemory m, ChatEvent e, Understanding u, Score score, boolean changed) {
        return QualificationMetric.newBuilder()
                .setMetricId("m-" + actionId(session, e))
                .setTenantId(m.getTenantId())
                .setSessionId(session)
                .setEventId(e.getEventId())
                .setEventTime(e.getSentAt())
                .setCategory(u.category())
                .setIntent(u.intent())
                .setIntentConfidence(u.confidence())
                .setLanguage(u.language())
                .setSentiment(u.sentiment())
                .setUrgency(u.urgency())
                .setScore(score.total())
                .setAction(m.getLastAction())
                .setActionChanged(changed)
                .setSlotsFilled(new ArrayList<>(m.getSlots().keySet()))
                .setSlotCompleteness(slotCompleteness(m))
                .setVisitorTurns(m.getVisitorTurns())
                .setPolicyVersion(policy.version())
                .setModelId(understander.modelId())
                .setTraceId(e.getTraceId())
                .build();
    }

    private DecisionAudit audit(String session, SessionMemory m, ChatEvent e, Understanding u, Score score, Decision d,
            ActionType previous, boolean emitted, CrmAccount account, ReadOnlyContext ctx) {
        Map<String, String> features = new HashMap<>();
        features.put("category", u.category());
        features.put("intent", u.intent());
        features.put("confidence", Decimals.fixed(u.confidence(), 3));
        features.put("language", u.language());
        features.put("sentiment", Decimals.fixed(u.sentiment(), 3));
        features.put("urgency", u.urgency());
        features.put("wants_human", String.valueOf(u.wantsHuman()));
        features.put("wants_sales", String.valueOf(u.wantsSales()));
        features.put("visitor_turns", String.valueOf(m.getVisitorTurns()));
        features.put("questions_asked", String.valueOf(m.getQuestionsAsked()));
        secondOpinion.audit(features, e);
        if (account != null) {
            features.put("crm_account_id", account.getAccountId());
            features.put("crm_existing_customer", String.valueOf(account.getExistingCustomer()));
            features.put("crm_vip", String.valueOf(account.getVip()));
        }
        Map<String, String> slots = new HashMap<>();
        m.getSlots().forEach((k, v) -> slots.put(k, isContact(k) ? "[redacted]" : redactedSlotValue(v.getValue())));
        return DecisionAudit.newBuilder()
                .setAuditId("a-" + actionId(session, e))
                .setTenantId(m.getTenantId())
                .setSessionId(session)
                .setEventId(e.getEventId())
                .setEventTime(e.getSentAt())
                .setDecidedAt(Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()))
                .setRedactedText(auditText(e, u))
                .setFeatures(features)
                .setSlots(slots)
                .setRule(d.rule())
                .setAction(d.action())
                .setPreviousAction(previous)
                .setEmitted(emitted)
                .setScore(score.total())
                .setContributions(score.contributions())
                .setPolicyVersion(policy.version())
                .setModelId(understander.modelId())
                .setKillSwitch(NextActionPolicy.KILL_SWITCH.equals(d.rule()))
                .setRateLimited(NextActionPolicy.RATE_LIMITED.equals(d.rule()))
                .setTraceId(e.getTraceId())
                .build();
    }

    private ArchivedTurn archived(String session, SessionMemory m, TranscriptTurn t, String because) {
        return ArchivedTurn.newBuilder()
                .setSessionId(session)
                .setTenantId(m.getTenantId())
                .setEventId(t.getEventId())
                .setSenderRole(t.getRole())
                .setRedactedText(t.getText())
                .setSentAt(Instant.ofEpochMilli(t.getSentAt()))
                .setArchivedBecause(because)
                .setTraceId(t.getTraceId())
                .build();
    }

    /** Share of the tenant's required slots that are filled. */
    private double slotCompleteness(SessionMemory m) {
        int required = policy.tenant(m.getTenantId()).requiredSlots().size();
        return required == 0 ? 1.0 : (double) SlotFilling.filledCount(m, policy) / required;
    }

    static boolean isContact(String slot) {
        return slot.equals("email") || slot.equals("phone") || slot.equals("name");
    }

    // Per-message values used by several outputs, computed once (each costs a SHA-256 or regex passes).
    // Keyed by value, not by instance: with object reuse one ChatEvent instance may carry many events.
    private transient String idSession;
    private transient String idEventId;
    private transient String idValue;
    private transient String redactedFor;
    private transient String redactedValue;

    // Redacted slot values for the audit: a pure function of the value, and a session's slot values
    // repeat from message to message (a date-like value costs several regex passes each time).
    private transient Map<String, String> redactedSlotValues;

    private String redactedSlotValue(String value) {
        if (redactedSlotValues == null || redactedSlotValues.size() >= 10_000) {
            redactedSlotValues = new HashMap<>();
        }
        return redactedSlotValues.computeIfAbsent(value, Redactor::redact);
    }

    /** {@link LeadIds#actionId} of the event (the action, metric and audit ids derive from it). */
    private String actionId(String session, ChatEvent e) {
        String eventId = e.getEventId();
        if (idValue == null || !eventId.equals(idEventId) || !session.equals(idSession)) {
            idValue = LeadIds.actionId(session, eventId);
            idEventId = eventId;
            idSession = session;
        }
        return idValue;
    }

    /** The event's text, redacted and cut to 500 chars (transcript tail and audit). */
    private String redactedText(ChatEvent e) {
        String text = e.getText();
        if (redactedValue == null || !java.util.Objects.equals(text, redactedFor)) {
            redactedValue = truncate(Redactor.redact(text), 500);
            redactedFor = text;
        }
        return redactedValue;
    }

    /**
     * The audit's text: {@link #redactedText} with the visitor's name taken out too, where understanding
     * found one ("my name is Dana", or a bare "Dana" answering the name question). The transcript tail
     * and the archive keep it: they go to sales handoffs and to bootstrapping memory, not to analysts.
     */
    private String auditText(ChatEvent e, Understanding u) {
        String text = e.getText();
        if (u == null || text == null || u.slots().stream().noneMatch(x -> SlotNames.NAME.equals(x.name()))) {
            return redactedText(e);
        }
        char[] c = text.toCharArray();
        for (Slot slot : u.slots()) {
            if (SlotNames.NAME.equals(slot.name()) && slot.start() >= 0 && slot.end() <= c.length) {
                java.util.Arrays.fill(c, slot.start(), slot.end(), '\u0000'); // marked, then replaced once below
            }
        }
        String marked = new String(c).replaceAll("\u0000+", "[name]");
        return truncate(Redactor.redact(marked), 500);
    }

    private static String truncate(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max);
    }
}
