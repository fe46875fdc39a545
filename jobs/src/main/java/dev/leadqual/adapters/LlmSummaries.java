package dev.leadqual.adapters;

import dev.leadqual.schema.SalesHandoff;
import dev.leadqual.udfs.redact.Redactor;
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
 * in a handoff; this holds even if one slipped in). The model's text is redacted too. The handoff's
 * {@code summary_source} says {@code llm}. Fallback: the deterministic summary, {@code summary_source}
 * {@code llm_fallback}.
 */
public final class LlmSummaries implements RemoteService<SalesHandoff, SalesHandoff> {

    static final String PATH = ChatCompletion.PATH;
    static final int MAX_SUMMARY_CHARS = 2000;
    /** {@code summary_source} of a handoff whose summary the model wrote. */
    public static final String SOURCE_LLM = "llm";
    /** {@code summary_source} of a handoff the adapter could not summarise (the deterministic summary). */
    public static final String SOURCE_FALLBACK = "llm_fallback";
    static final String SYSTEM_PROMPT = "You write the handoff note a B2B sales rep reads in ten seconds before "
            + "calling a prospect. Use only the facts given; do not invent names, numbers or contact details. "
            + "At most six short lines: who, need, budget, timeline, why now, suggested next step. "
            + "Placeholders like [email] or [phone] stay as they are.";

    private final ChatCompletion endpoint;

    public LlmSummaries(String baseUrl, String model, double temperature, int maxTokens, String apiKey,
            Duration connectTimeout) {
        this.endpoint = new ChatCompletion(baseUrl, model, temperature, maxTokens, apiKey, connectTimeout);
    }

    @Override
    public void open() {
        endpoint.open();
    }

    @Override
    public String tenant(SalesHandoff handoff) {
        return handoff.getTenantId();
    }

    @Override
    public CompletableFuture<SalesHandoff> call(SalesHandoff handoff, Duration timeout) {
        return endpoint.complete(SYSTEM_PROMPT, prompt(handoff), timeout)
                .thenApply(content -> withSummary(handoff, summary(content)));
    }

    /** The deterministic summary, marked as the adapter's fallback. */
    @Override
    public SalesHandoff fallback(SalesHandoff handoff) {
        return SalesHandoff.newBuilder(handoff).setSummarySource(SOURCE_FALLBACK).build();
    }

    /** The chat-completions request: model, messages, temperature, max_tokens; redacted content only. */
    String requestBody(SalesHandoff h) {
        return endpoint.requestBody(SYSTEM_PROMPT, prompt(h));
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

    /** The model's text, redacted and capped. */
    static String summary(String content) {
        String text = Redactor.redact(content);
        return text.length() <= MAX_SUMMARY_CHARS ? text : text.substring(0, MAX_SUMMARY_CHARS - 1) + "…";
    }

    static SalesHandoff withSummary(SalesHandoff h, String summary) {
        return SalesHandoff.newBuilder(h).setSummary(summary).setSummarySource(SOURCE_LLM).build();
    }
}
