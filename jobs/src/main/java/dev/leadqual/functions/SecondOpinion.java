package dev.leadqual.functions;

import dev.leadqual.adapters.LlmIntents;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.udfs.understand.Intents;
import dev.leadqual.udfs.understand.Understanding;
import java.io.Serializable;
import java.util.Map;

/**
 * Applies the LLM's second opinion ({@link LlmIntents}) to the understanding of a message the model
 * was unsure about: the hinted intent and its category replace the model's, and the confidence is
 * raised to the threshold that asked for the opinion (the model's when it was higher), so a rule's
 * {@code min_confidence} at or below that threshold accepts it. Everything else (language, sentiment,
 * urgency, slots, wants_human/sales) stays the model's. Off unless the job runs the LLM intent stage,
 * so a hint on an input event is never trusted.
 */
final class SecondOpinion implements Serializable {

    /** The audit feature naming the intent the model had before the second opinion. */
    static final String MODEL_INTENT = "model_intent";

    private final double threshold;
    // The model's intent of the last message whose understanding was replaced (for its audit).
    private transient String replacedEventId;
    private transient String replacedIntent;

    /** @param threshold the job's {@code --llm.intent-below}; 0 = no LLM intent stage (hints are ignored) */
    SecondOpinion(double threshold) {
        this.threshold = threshold;
    }

    Understanding apply(Understanding u, ChatEvent e) {
        String intent = hint(e);
        if (intent == null || u == null || intent.equals(u.intent())) {
            return u;
        }
        replacedEventId = e.getEventId();
        replacedIntent = u.intent();
        return new Understanding(Intents.CATEGORY_OF.get(intent), intent, Math.max(u.confidence(), threshold),
                u.language(), u.languageConfidence(), u.sentiment(), u.urgency(), u.wantsHuman(), u.wantsSales(), u.slots());
    }

    /** Marks the audit features of a message whose intent the second opinion replaced: {@code intent_source: llm}, the model's intent. */
    void audit(Map<String, String> features, ChatEvent e) {
        if (replacedEventId != null && replacedEventId.equals(e.getEventId())) {
            features.put("intent_source", "llm");
            features.put(MODEL_INTENT, replacedIntent);
        }
    }

    private String hint(ChatEvent e) {
        if (threshold <= 0) {
            return null;
        }
        String intent = e.getAttributes().get(LlmIntents.HINT);
        return intent != null && Intents.CATEGORY_OF.containsKey(intent) ? intent : null;
    }
}
