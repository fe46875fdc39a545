package dev.leadqual.adapters;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.state.StateLayout;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The adapters as Async I/O stages of the job. The operator timeout is one second above the
 * adapter's worst case (every attempt timing out, every backoff at its cap), and answers with the
 * fallback too. In-flight records are part of the operator's checkpoint, so the exactly-once sinks
 * downstream see each record once.
 */
public final class AdapterStages {

    private AdapterStages() {}

    /**
     * Handoffs with the model's summary (or the deterministic one). Unordered: each handoff is its
     * own record (a re-escalation is a new one), so a slow call holds back no other handoff.
     */
    public static DataStream<SalesHandoff> summarise(DataStream<SalesHandoff> handoffs, AdapterSettings.Llm llm) {
        GuardSettings guard = llm.guard();
        LlmSummaries service = new LlmSummaries(llm.url(), llm.model(), llm.temperature(), llm.maxTokens(),
                llm.apiKey(), guard.timeout());
        return AsyncDataStream.unorderedWait(handoffs, new GuardedAsyncFunction<>("llm", service, guard),
                        operatorTimeoutMillis(guard), TimeUnit.MILLISECONDS, guard.capacity())
                .returns(handoffs.getType())
                .uid(StateLayout.LLM_SUMMARY_UID)
                .name("LLM handoff summary (async)");
    }

    /**
     * Chat events with the model's second opinion on uncertain messages ({@link LlmIntents}), before
     * the qualification operator. Ordered: a session's messages must reach it in their order (a slow
     * answer holds back the messages behind it on this instance, at most the guard's worst case).
     * The stage runs right after the keyed deduplication with the same parallelism, so each record
     * stays on its key's instance and the stream is still partitioned by session.
     */
    public static DataStream<ChatEvent> secondOpinion(DataStream<ChatEvent> events, AdapterSettings.Llm llm) {
        GuardSettings guard = llm.guard();
        LlmIntents service = new LlmIntents(llm.url(), llm.model(), 0.0, 20, llm.apiKey(), guard.timeout(),
                llm.intentBelow());
        return AsyncDataStream.orderedWait(events, new GuardedAsyncFunction<>("llm-intent", service, guard),
                        operatorTimeoutMillis(guard), TimeUnit.MILLISECONDS, guard.capacity())
                .returns(events.getType())
                .uid(StateLayout.LLM_INTENT_UID)
                .name("LLM intent second opinion (async)");
    }

    /**
     * Leads with the CRM's account id and owner (or unchanged). Ordered: leads are upserts whose
     * {@code lead_version} must reach the CRM topic in the order they were decided.
     */
    public static DataStream<QualifiedLead> enrich(DataStream<QualifiedLead> leads, AdapterSettings.Crm crm) {
        GuardSettings guard = crm.guard();
        CrmLookup service = new CrmLookup(crm.url(), crm.apiKey(), guard.timeout());
        return AsyncDataStream.orderedWait(leads, new GuardedAsyncFunction<>("crm", service, guard),
                        operatorTimeoutMillis(guard), TimeUnit.MILLISECONDS, guard.capacity())
                .returns(leads.getType())
                .uid(StateLayout.CRM_LOOKUP_UID)
                .name("CRM REST lookup (async)");
    }

    static long operatorTimeoutMillis(GuardSettings guard) {
        return guard.worstCase().toMillis() + 1000;
    }
}
