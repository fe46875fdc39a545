package dev.leadqual.workflow;

import dev.leadqual.adapters.AdapterSettings;
import dev.leadqual.adapters.AdapterStages;
import dev.leadqual.config.JobSettings;
import dev.leadqual.functions.DeadLetters;
import dev.leadqual.functions.DecodeChatInput;
import dev.leadqual.functions.DeduplicateEvents;
import dev.leadqual.functions.QualifyOutputs;
import dev.leadqual.functions.QualifySession;
import dev.leadqual.functions.DecodeControl;
import dev.leadqual.functions.DecodeSalesOutcomes;
import dev.leadqual.functions.JoinSalesOutcomes;
import dev.leadqual.schema.LeadOutcome;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SessionOutcome;
import dev.leadqual.io.ControlEvent;
import dev.leadqual.io.RawRecord;
import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.KnowledgeArticle;
import dev.leadqual.schema.PolicyUpdate;
import dev.leadqual.schema.QualifiedLead;
import dev.leadqual.schema.SalesHandoff;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.DeadLetter;
import dev.leadqual.schema.NextAction;
import dev.leadqual.serde.AvroRegistrySerdes;
import dev.leadqual.state.StateLayout;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The job's graph, left to right: decode and validate → (keyBy session) deduplicate → qualify
 * (understand, remember, score, decide) → [optional async adapters: CRM lookup on leads, LLM summary
 * on handoffs] → outputs; with {@code --llm.intent-below}, an async LLM second opinion on uncertain
 * messages sits between deduplicate and qualify. Sources and sinks are passed in, so tests run the
 * same graph with bounded sources and collecting sinks.
 */
public final class LeadQualWorkflow {

    private LeadQualWorkflow() {}

    /** The whole job from raw Kafka records: chat input and the control plane. */
    public static void define(DataStream<RawRecord> input, DataStream<RawRecord> controlInput,
            DataStream<RawRecord> salesOutcomesInput, JobSettings settings, JobOutputs outputs) {
        SingleOutputStreamOperator<ControlEvent> control = controlInput
                .process(new DecodeControl(settings.topics().crmAccounts(), settings.topics().kbArticles(),
                        AvroRegistrySerdes.deserializer(PolicyUpdate.class, settings.topics().controlPolicy(), settings.registry()),
                        AvroRegistrySerdes.deserializer(CrmAccount.class, settings.topics().crmAccounts(), settings.registry()),
                        AvroRegistrySerdes.deserializer(KnowledgeArticle.class, settings.topics().kbArticles(), settings.registry())))
                .uid(StateLayout.DECODE_CONTROL_UID)
                .name("Decode control plane");
        SingleOutputStreamOperator<ChatEvent> events = input
                .process(new DecodeChatInput(settings.topics().rawChat(),
                        AvroRegistrySerdes.deserializer(ChatEvent.class, settings.topics().chatEvents(), settings.registry())))
                .uid(StateLayout.DECODE_UID)
                .name("Validate and normalise");
        SingleOutputStreamOperator<LeadOutcome> salesOutcomes = salesOutcomesInput
                .process(new DecodeSalesOutcomes(
                        AvroRegistrySerdes.deserializer(LeadOutcome.class, settings.topics().crmOutcomes(), settings.registry())))
                .uid(StateLayout.DECODE_OUTCOMES_UID)
                .name("Decode sales outcomes");
        DataStream<DeadLetter> deadLetters = events.getSideOutput(DeadLetters.TAG)
                .union(control.getSideOutput(DeadLetters.TAG), salesOutcomes.getSideOutput(DeadLetters.TAG));
        qualify(events, control, salesOutcomes, settings, outputs, deadLetters);
    }

    /**
     * From decoded chat events onwards. {@code control} (may be null: the job's initial policy only)
     * is broadcast to every instance. {@code upstreamDeadLetters} (may be null) are merged into the
     * dead-letter output so the dead-letter topic has one sink.
     */
    public static void qualify(DataStream<ChatEvent> events, DataStream<ControlEvent> control,
            DataStream<LeadOutcome> salesOutcomes, JobSettings settings, JobOutputs outputs,
            DataStream<DeadLetter> upstreamDeadLetters) {
        if (control == null) {
            // No control topic (replay, benchmarks): an input that never emits. (An empty fromData
            // source finishes at once, and a finished broadcast input is not what the operator expects.)
            control = events
                    .filter(e -> false).uid("no-control-input").name("No control input")
                    .map(e -> new ControlEvent()).returns(TypeInformation.of(ControlEvent.class))
                    .uid("no-control-events").name("No control events");
        }
        BroadcastStream<ControlEvent> broadcast = control
                .assignTimestampsAndWatermarks(WatermarkStrategy.forGenerator(ctx -> new NeverHoldsBackWatermarks()))
                .uid("control-watermarks")
                .name("Control watermarks")
                .broadcast(StateLayout.control(), StateLayout.crmAccounts(), StateLayout.kbArticles());
        DataStream<ChatEvent> timed = events
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<ChatEvent>forBoundedOutOfOrderness(settings.outOfOrderness())
                        .withTimestampAssigner((event, ts) -> event.getSentAt().toEpochMilli())
                        .withIdleness(java.time.Duration.ofSeconds(30)))
                .uid(StateLayout.EVENT_TIME_UID)
                .name("Event time");

        DataStream<ChatEvent> unique = timed
                .keyBy(StateLayout.bySession())
                .process(new DeduplicateEvents(settings.dedupTtl()))
                .uid(StateLayout.DEDUPLICATE_UID)
                .name("Deduplicate");

        AdapterSettings adapters = settings.adapters();
        if (adapters.llmIntentThreshold() > 0) {
            unique = AdapterStages.secondOpinion(unique, adapters.llm());
        }

        SingleOutputStreamOperator<NextAction> actions = DataStreamUtils
                .reinterpretAsKeyedStream(unique, StateLayout.bySession())
                .connect(broadcast)
                .process(new QualifySession(settings))
                .uid(StateLayout.QUALIFY_UID)
                .name("Qualify session");

        outputs.actions().attach(actions);
        DataStream<QualifiedLead> leads = actions.getSideOutput(QualifyOutputs.LEADS);
        DataStream<SalesHandoff> handoffs = actions.getSideOutput(QualifyOutputs.HANDOFFS);
        if (adapters.crm() != null) {
            leads = AdapterStages.enrich(leads, adapters.crm());
        }
        if (adapters.llm() != null) {
            handoffs = AdapterStages.summarise(handoffs, adapters.llm());
        }
        outputs.leads().attach(leads);
        outputs.handoffs().attach(handoffs);
        DataStream<SessionOutcome> sessionOutcomes = actions.getSideOutput(QualifyOutputs.SESSION_OUTCOMES);
        if (salesOutcomes != null) {
            // The improvement loop: what sales made of each lead, joined back to it for the warehouse.
            sessionOutcomes = sessionOutcomes.union(leads
                    .keyBy(QualifiedLead::getLeadId)
                    .connect(salesOutcomes.keyBy(LeadOutcome::getLeadId))
                    .process(new JoinSalesOutcomes(settings.outcomeRetention()))
                    .uid(StateLayout.JOIN_OUTCOMES_UID)
                    .name("Join sales outcomes"));
        }
        outputs.sessionOutcomes().attach(sessionOutcomes);
        outputs.metrics().attach(actions.getSideOutput(QualifyOutputs.METRICS));
        outputs.audit().attach(actions.getSideOutput(QualifyOutputs.AUDIT));
        outputs.archive().attach(actions.getSideOutput(QualifyOutputs.ARCHIVE));
        DataStream<DeadLetter> qualifyDeadLetters = actions.getSideOutput(DeadLetters.TAG);
        outputs.deadLetters().attach(upstreamDeadLetters == null
                ? qualifyDeadLetters
                : upstreamDeadLetters.union(qualifyDeadLetters));
    }

    /** The control plane is not event-time data: it must never hold back the sessions' timers. */
    static final class NeverHoldsBackWatermarks implements WatermarkGenerator<ControlEvent> {
        @Override
        public void onEvent(ControlEvent event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(Long.MAX_VALUE));
        }
    }
}
