package dev.leadqual.functions;

import static dev.leadqual.functions.ChatEvents.at;
import static dev.leadqual.functions.ChatEvents.visitor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.adapters.LlmIntents;
import dev.leadqual.config.JobSettings;
import dev.leadqual.io.ControlEvent;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.DecisionAudit;
import dev.leadqual.schema.NextAction;
import dev.leadqual.state.StateLayout;
import dev.leadqual.udfs.understand.Understanding;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The LLM's intent hint as the qualification operator applies it. */
class SecondOpinionTest {

    private static final Understanding UNSURE = new Understanding("other", "greeting", 0.31, "en", 0.9, 0.2, "low",
            false, false, List.of());

    private static ChatEvent hinted(String text, String intent) {
        ChatEvent e = visitor("s1", "e1", 0, text);
        Map<String, String> attributes = new HashMap<>(e.getAttributes());
        attributes.put(LlmIntents.HINT, intent);
        return ChatEvent.newBuilder(e).setAttributes(attributes).build();
    }

    @Test
    void theHintReplacesIntentAndCategoryAndLiftsTheConfidenceToTheThreshold() {
        Understanding u = new SecondOpinion(0.6).apply(UNSURE, hinted("hi, could we see it working?", "demo_request"));

        assertThat(u).isEqualTo(new Understanding("sales", "demo_request", 0.6, "en", 0.9, 0.2, "low", false, false, List.of()));
    }

    @Test
    void withoutTheStageOrWithAnUnknownIntentTheModelsAnswerStands() {
        ChatEvent e = hinted("hi, could we see it working?", "demo_request");

        assertThat(new SecondOpinion(0).apply(UNSURE, e)).isSameAs(UNSURE);
        assertThat(new SecondOpinion(0.6).apply(UNSURE, hinted("hi", "free_lunch"))).isSameAs(UNSURE);
        assertThat(new SecondOpinion(0.6).apply(UNSURE, visitor("s1", "e1", 0, "hi"))).isSameAs(UNSURE);
    }

    @Test
    void theOperatorDecidesOnTheHintAndAuditsTheModelsIntent() throws Exception {
        DecisionAudit on = audit("0.99", hinted("hi, could we see it working sometime?", "demo_request"));
        DecisionAudit off = audit(null, hinted("hi, could we see it working sometime?", "demo_request"));

        assertThat(off.getFeatures()).doesNotContainKeys("intent_source", SecondOpinion.MODEL_INTENT);
        assertThat(off.getFeatures().get("intent")).isNotEqualTo("demo_request");
        assertThat(on.getFeatures()).containsEntry("intent", "demo_request").containsEntry("category", "sales")
                .containsEntry("intent_source", "llm")
                .containsEntry(SecondOpinion.MODEL_INTENT, off.getFeatures().get("intent"));
    }

    /** The audit of one message through the operator, with {@code --llm.intent-below} (null: stage off). */
    private static DecisionAudit audit(String intentBelow, ChatEvent e) throws Exception {
        Map<String, String> args = new HashMap<>(Map.of("kafka.bootstrap", "unused:9092", "registry.url", "http://unused"));
        if (intentBelow != null) {
            args.put("llm.url", "http://127.0.0.1:9");
            args.put("llm.intent-below", intentBelow);
        }
        JobSettings settings = JobSettings.from(args, Map.of());
        try (var h = new KeyedBroadcastOperatorTestHarness<String, ChatEvent, ControlEvent, NextAction>(
                new CoBroadcastWithKeyedOperator<>(new QualifySession(settings),
                        List.of(StateLayout.control(), StateLayout.crmAccounts(), StateLayout.kbArticles())),
                StateLayout.bySession(), Types.STRING, 128, 1, 0)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.open();
            h.processBroadcastWatermark(Long.MAX_VALUE);
            h.processElement(e, at(0));
            return (DecisionAudit) h.getSideOutput(QualifyOutputs.AUDIT).peek().getValue();
        }
    }
}
