package dev.leadqual.state;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.KnowledgeArticle;
import dev.leadqual.schema.LeadOutcome;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.PolicyUpdate;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.TranscriptTurn;
import java.time.Duration;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * The frozen layout of the job's state, shared by the job and the savepoint tools: operator uids,
 * the key selector and every state descriptor. Renaming anything here loses state on restore;
 * adding or removing TTL breaks restore. TTL durations may change between releases.
 */
public final class StateLayout {

    static {
        // Every stateful operator's open() builds its descriptors here, so every task manager reads
        // chat events (between stages) and leads (outcome join) with Avro's fast reader.
        dev.leadqual.serde.AvroModels.useFastReading();
    }

    // Operator uids: stable across releases.
    public static final String CHAT_SOURCE_UID = "chat-input-source";
    public static final String DECODE_UID = "decode-chat-input";
    public static final String EVENT_TIME_UID = "event-time-watermarks";
    public static final String DEDUPLICATE_UID = "deduplicate-events";
    public static final String QUALIFY_UID = "qualify-session";
    public static final String CONTROL_SOURCE_UID = "control-source";
    public static final String OUTCOMES_SOURCE_UID = "sales-outcomes-source";
    public static final String DECODE_OUTCOMES_UID = "decode-sales-outcomes";
    public static final String JOIN_OUTCOMES_UID = "join-sales-outcomes";
    public static final String DECODE_CONTROL_UID = "decode-control";
    /** Optional Async I/O adapters (their in-flight records are operator state). */
    public static final String LLM_SUMMARY_UID = "adapter-llm-summary";
    public static final String CRM_LOOKUP_UID = "adapter-crm-lookup";
    public static final String LLM_INTENT_UID = "adapter-llm-intent";

    /**
     * Key groups of every keyed operator: fixed before the first deploy (pipeline.max-parallelism in
     * flink-conf/config.yaml); a savepoint can never be restored with another value.
     */
    public static final int MAX_PARALLELISM = 128;

    /** Sink uids are "sink-" plus the topic's default name, e.g. sink-crm.leads. */
    public static String sinkUid(String defaultTopicName) {
        return "sink-" + defaultTopicName;
    }

    // State names: frozen.
    public static final String SEEN_EVENTS = "seen-event-ids";
    public static final String SESSION_MEMORY = "session-memory";
    public static final String TRANSCRIPT_TAIL = "transcript-tail";
    public static final String CONTROL = "control";
    public static final String KB_ARTICLES = "kb-articles";
    public static final String LEAD_FOR_OUTCOMES = "lead-for-outcomes";
    public static final String EARLY_OUTCOMES = "early-sales-outcomes";
    public static final String CRM_ACCOUNTS = "crm-accounts";
    public static final String HANDOFFS_PER_TENANT_HOUR = "handoffs-per-tenant-hour";

    private StateLayout() {}

    /** Events are keyed by session: every stateful stage sees a session's events in one place. */
    public static String sessionKey(ChatEvent event) {
        return event.getSessionId();
    }

    public static KeySelector<ChatEvent, String> bySession() {
        return StateLayout::sessionKey;
    }

    /** Event ids seen per session (value: event time), forgotten after {@code ttl}. */
    public static MapStateDescriptor<String, Long> seenEvents(Duration ttl) {
        MapStateDescriptor<String, Long> d = new MapStateDescriptor<>(SEEN_EVENTS, Types.STRING, Types.LONG);
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /**
     * The state records' Avro code generated for them (customEncode/customDecode) instead of Avro's
     * reflective field-by-field path: same bytes, same schema resolution (GeneratedCodersTest), less
     * CPU per read and write. Avro leaves it off unless asked (per class; record classes with logical
     * types, e.g. the outputs, have no such code).
     */
    private static <T extends org.apache.avro.specific.SpecificRecordBase> Class<T> generatedCoders(Class<T> type) {
        org.apache.avro.specific.SpecificData.getForClass(type).setCustomCoders(true);
        return type;
    }

    /** The hot part of a session's memory, read and written on every message. */
    public static ValueStateDescriptor<SessionMemory> sessionMemory(Duration ttl) {
        ValueStateDescriptor<SessionMemory> d =
                new ValueStateDescriptor<>(SESSION_MEMORY, new AvroTypeInfo<>(generatedCoders(SessionMemory.class)));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /** The redacted transcript tail: appended without reading, read only to summarise or archive. */
    public static ListStateDescriptor<TranscriptTurn> transcriptTail(Duration ttl) {
        ListStateDescriptor<TranscriptTurn> d =
                new ListStateDescriptor<>(TRANSCRIPT_TAIL, new AvroTypeInfo<>(generatedCoders(TranscriptTurn.class)));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /** Leads by lead id, kept for joining sales outcomes (no contact details). */
    public static ValueStateDescriptor<QualifiedLead> leadForOutcomes(Duration ttl) {
        ValueStateDescriptor<QualifiedLead> d =
                new ValueStateDescriptor<>(LEAD_FOR_OUTCOMES, new AvroTypeInfo<>(QualifiedLead.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /** Sales outcomes that arrived before their lead. */
    public static ListStateDescriptor<LeadOutcome> earlyOutcomes(Duration ttl) {
        ListStateDescriptor<LeadOutcome> d =
                new ListStateDescriptor<>(EARLY_OUTCOMES, new AvroTypeInfo<>(LeadOutcome.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /** Broadcast: the active policy ("policy") and kill switches ("kill:*", "kill:TENANT"). */
    public static MapStateDescriptor<String, PolicyUpdate> control() {
        return new MapStateDescriptor<>(CONTROL, Types.STRING, new AvroTypeInfo<>(PolicyUpdate.class));
    }

    /** Broadcast: CRM accounts by "id:", "domain:" and "name:" keys. */
    public static MapStateDescriptor<String, CrmAccount> crmAccounts() {
        return new MapStateDescriptor<>(CRM_ACCOUNTS, Types.STRING, new AvroTypeInfo<>(CrmAccount.class));
    }

    /** Broadcast: knowledge-base articles by article id. */
    public static MapStateDescriptor<String, KnowledgeArticle> kbArticles() {
        return new MapStateDescriptor<>(KB_ARTICLES, Types.STRING, new AvroTypeInfo<>(KnowledgeArticle.class));
    }

    /**
     * Operator (union) state of the qualification operator: (tenant, event-time hour, handoffs) this
     * instance made in the tenant's latest hour. Every instance gets every entry on restore.
     */
    public static ListStateDescriptor<Tuple3<String, Long, Long>> handoffsPerTenantHour() {
        return new ListStateDescriptor<>(HANDOFFS_PER_TENANT_HOUR, Types.TUPLE(Types.STRING, Types.LONG, Types.LONG));
    }

    /** One TTL policy for all session state: refreshed on write, never returned once expired. */
    public static StateTtlConfig ttl(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupInRocksdbCompactFilter(1000)
                .build();
    }
}
