package dev.leadqual.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.udfs.redact.Redactor;
import dev.leadqual.udfs.understand.Intents;
import dev.leadqual.udfs.understand.Understander;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A second opinion on messages the understanding model is unsure about: a visitor message whose
 * category confidence is below {@code --llm.intent-below} is sent (redacted) to an OpenAI-compatible
 * chat-completions endpoint, which answers with one of the job's fine intents as JSON,
 * {@code {"intent": "demo_request"}}. The intent travels on the event as the attribute
 * {@value #HINT} to the qualification operator, which takes it (and its category) in place of the
 * model's; see {@code functions/SecondOpinion}.
 *
 * <p>Messages the model is sure about, and every other event, need no call. Fallback (errors,
 * timeouts, open breaker, spent budget, an answer that is not one of the known intents): the event
 * without a hint, i.e. the model's own answer. A hint already on an input event is always removed,
 * so producers cannot set one.
 */
public final class LlmIntents implements RemoteService<ChatEvent, ChatEvent> {

    /** The event attribute carrying the model's second opinion (a fine intent). */
    public static final String HINT = "leadqual.llm_intent";

    static final String SYSTEM_PROMPT = "You classify one message a visitor wrote in a B2B software company's "
            + "website chat. Answer with JSON only, exactly {\"intent\": \"<one of the intents listed>\"}. Intents: "
            + String.join(", ", new TreeSet<>(Intents.CATEGORY_OF.keySet())) + ". "
            + "Placeholders like [email] or [phone] stand for contact details.";

    private final ChatCompletion endpoint;
    private final double below;
    private transient Understander understander;

    /**
     * @param below messages whose understanding confidence is below this get a second opinion
     */
    public LlmIntents(String baseUrl, String model, double temperature, int maxTokens, String apiKey,
            Duration connectTimeout, double below) {
        this.endpoint = new ChatCompletion(baseUrl, model, temperature, maxTokens, apiKey, connectTimeout);
        this.below = below;
    }

    @Override
    public void open() {
        endpoint.open();
        understander = Understander.loadDefault();
    }

    @Override
    public boolean needsCall(ChatEvent e) {
        if (e.getEventType() != ChatEventType.MESSAGE || e.getSenderRole() != SenderRole.VISITOR
                || e.getText() == null || e.getText().isBlank()) {
            return false;
        }
        if (understander == null) {
            open();
        }
        // The same call, on the same input, as the qualification operator's: the same answer.
        return understander.understand(e.getText(), e.getLocale(), e.getSentAt().toEpochMilli()).confidence() < below;
    }

    @Override
    public String tenant(ChatEvent e) {
        return e.getTenantId();
    }

    @Override
    public CompletableFuture<ChatEvent> call(ChatEvent e, Duration timeout) {
        return endpoint.complete(SYSTEM_PROMPT, prompt(e), timeout).thenApply(content -> {
            try {
                return withHint(e, intent(content));
            } catch (RemoteException malformed) {
                throw new CompletionException(malformed);
            }
        });
    }

    /** The event without a hint: the understanding model's answer stands. */
    @Override
    public ChatEvent fallback(ChatEvent e) {
        if (!e.getAttributes().containsKey(HINT)) {
            return e;
        }
        Map<String, String> attributes = new HashMap<>(e.getAttributes());
        attributes.remove(HINT);
        return ChatEvent.newBuilder(e).setAttributes(attributes).build();
    }

    /** The user message: the redacted text and, when known, its language. */
    static String prompt(ChatEvent e) {
        String language = e.getLocale() == null ? "" : " (locale " + e.getLocale() + ")";
        return "Message" + language + ":\n" + Redactor.redact(e.getText());
    }

    /** The intent in the model's JSON answer (code fences allowed); malformed unless one of the known intents. */
    static String intent(String content) throws RemoteException {
        String json = content.strip();
        if (json.startsWith("```")) {
            json = json.replaceAll("^```[a-zA-Z]*\\s*", "").replaceAll("\\s*```$", "");
        }
        JsonNode answer;
        try {
            answer = HttpJson.JSON.readTree(json);
        } catch (IOException notJson) {
            throw RemoteException.malformed("answer is not JSON");
        }
        String intent = answer == null ? "" : answer.path("intent").asText("").strip().toLowerCase(java.util.Locale.ROOT);
        if (!Intents.CATEGORY_OF.containsKey(intent)) {
            throw RemoteException.malformed("unknown intent");
        }
        return intent;
    }

    static ChatEvent withHint(ChatEvent e, String intent) {
        Map<String, String> attributes = new HashMap<>(e.getAttributes());
        attributes.put(HINT, intent);
        return ChatEvent.newBuilder(e).setAttributes(attributes).build();
    }
}
