package dev.leadqual.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.udfs.redact.Redactor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The handoff summary a sales rep reads, rewritten by a model behind an OpenAI-compatible
 * chat-completions endpoint (vLLM, Ollama, llama.cpp server, OpenAI): {@code POST {base}/v1/chat/completions}
 * with {@code model}, {@code messages} (a system instruction and the handoff), {@code temperature}
 * and {@code max_tokens}; bearer API key when set. The answer is {@code choices[0].message.content}.
 *
 * <p>Only redacted text leaves the job: the deterministic summary, the score, the reasons and the
 * key quotes, each passed through {@link Redactor} again before sending (no contact details are
 * in a handoff; this holds even if one slipped in). The model's text is redacted too. Fallback: the
 * handoff unchanged, i.e. the deterministic summary.
 */
public final class LlmSummaries implements RemoteService<SalesHandoff, SalesHandoff> {

    static final String PATH = "/v1/chat/completions";
    static final int MAX_SUMMARY_CHARS = 2000;
    static final String SYSTEM_PROMPT = "You write the handoff note a B2B sales rep reads in ten seconds before "
            + "calling a prospect. Use only the facts given; do not invent names, numbers or contact details. "
            + "At most six short lines: who, need, budget, timeline, why now, suggested next step. "
            + "Placeholders like [email] or [phone] stay as they are.";

    private final String base;
    private final String model;
    private final double temperature;
    private final int maxTokens;
    private final String apiKey;
    private final Duration connectTimeout;
    private transient HttpClient client;

    public LlmSummaries(String baseUrl, String model, double temperature, int maxTokens, String apiKey,
            Duration connectTimeout) {
        this.base = HttpJson.base(baseUrl);
        this.model = model;
        this.temperature = temperature;
        this.maxTokens = maxTokens;
        this.apiKey = apiKey;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public void open() {
        client = HttpJson.client(connectTimeout);
    }

    @Override
    public String tenant(SalesHandoff handoff) {
        return handoff.getTenantId();
    }

    @Override
    public CompletableFuture<SalesHandoff> call(SalesHandoff handoff, Duration timeout) {
        if (client == null) {
            open();
        }
        HttpRequest request = HttpJson.request(URI.create(base + PATH), timeout, apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody(handoff)))
                .build();
        return HttpJson.send(client, request).thenApply(response -> {
            try {
                return withSummary(handoff, summary(HttpJson.body(response)));
            } catch (RemoteException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    @Override
    public SalesHandoff fallback(SalesHandoff handoff) {
        return handoff;
    }

    /** The chat-completions request: model, messages, temperature, max_tokens; redacted content only. */
    String requestBody(SalesHandoff h) {
        ObjectNode body = HttpJson.JSON.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", SYSTEM_PROMPT);
        messages.addObject().put("role", "user").put("content", prompt(h));
        body.put("temperature", temperature);
        body.put("max_tokens", maxTokens);
        return body.toString();
    }

    static String prompt(SalesHandoff h) {
        StringBuilder sb = new StringBuilder();
        sb.append("Lead score: ").append(h.getScore()).append("/100\n");
        sb.append("Facts:\n").append(Redactor.redact(h.getSummary())).append('\n');
        if (!h.getReasons().isEmpty()) {
            sb.append("Score reasons:\n");
            h.getReasons().forEach(r -> sb.append("- ").append(Redactor.redact(r)).append('\n'));
        }
        if (!h.getKeyQuotes().isEmpty()) {
            sb.append("What the prospect said:\n");
            h.getKeyQuotes().forEach(q -> sb.append("- \"").append(Redactor.redact(q)).append("\"\n"));
        }
        return sb.toString().stripTrailing();
    }

    /** {@code choices[0].message.content}, redacted and capped; malformed when missing or blank. */
    static String summary(JsonNode response) throws RemoteException {
        JsonNode content = response.path("choices").path(0).path("message").path("content");
        if (!content.isTextual() || content.asText().isBlank()) {
            throw RemoteException.malformed("no choices[0].message.content");
        }
        String text = Redactor.redact(content.asText().strip());
        return text.length() <= MAX_SUMMARY_CHARS ? text : text.substring(0, MAX_SUMMARY_CHARS - 1) + "…";
    }

    static SalesHandoff withSummary(SalesHandoff h, String summary) {
        return SalesHandoff.newBuilder(h).setSummary(summary).build();
    }
}
