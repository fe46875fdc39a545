package dev.leadqual.adapters;

import java.io.Serializable;
import java.time.Duration;
import java.util.function.Function;
import org.apache.flink.util.TimeUtils;

/**
 * Settings of the optional adapters; each is off unless its URL is set. Keys (arguments, or
 * {@code LEADQUAL_*} environment variables, e.g. {@code LEADQUAL_LLM_URL}):
 *
 * <pre>
 * --llm.url              OpenAI-compatible base URL, e.g. http://localhost:11434 (Ollama), http://vllm:8000; unset = off
 * --llm.model            model name (default llama3.1)
 * --llm.api-key          bearer token (LEADQUAL_LLM_API_KEY; default none)
 * --llm.temperature      default 0.2
 * --llm.max-tokens       default 300
 * --llm.intent-below     second opinion on messages whose understanding confidence is below this (0..1); unset = off
 * --crm.url              CRM REST base URL (GET {url}/accounts?domain=...); unset = off
 * --crm.api-key          bearer token (LEADQUAL_CRM_API_KEY; default none)
 * and for each of llm / crm (defaults llm | crm):
 * --P.timeout            per attempt (10 s | 2 s)
 * --P.retries            extra attempts (1 | 2)
 * --P.backoff            first retry delay, doubled per retry (500 ms | 100 ms)
 * --P.backoff.max        longest retry delay; a longer Retry-After is not waited for (5 s | 1 s)
 * --P.breaker.failures   consecutive failed attempts that open the breaker (5 | 5)
 * --P.breaker.cooldown   open time before a probe call (30 s | 30 s)
 * --P.budget.per-minute  calls per tenant per minute, shared by the parallel instances; 0 = unlimited (60 | 600)
 * --P.capacity           calls in flight per parallel instance (20 | 100)
 * </pre>
 */
public record AdapterSettings(Llm llm, Crm crm) implements Serializable {

    public static final AdapterSettings OFF = new AdapterSettings(null, null);

    /**
     * The LLM adapter (handoff summaries; intent second opinions when {@code intentBelow} > 0); null when off.
     */
    public record Llm(String url, String model, double temperature, int maxTokens, String apiKey, GuardSettings guard,
            double intentBelow) implements Serializable {
        public Llm {
            if (intentBelow < 0 || intentBelow > 1) {
                throw new IllegalArgumentException("llm.intent-below must be within 0..1, got " + intentBelow);
            }
        }

        @Override
        public String toString() {
            return "Llm[url=" + url + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "***")
                    + ", intentBelow=" + intentBelow + ", " + guard + "]";
        }
    }

    /** The confidence below which messages get the LLM's second opinion; 0 when that stage is off. */
    public double llmIntentThreshold() {
        return llm == null ? 0 : llm.intentBelow();
    }

    /** The CRM REST lookup adapter; null when off. */
    public record Crm(String url, String apiKey, GuardSettings guard) implements Serializable {
        @Override
        public String toString() {
            return "Crm[url=" + url + ", apiKey=" + (apiKey == null ? "none" : "***") + ", " + guard + "]";
        }
    }

    /** Reads the settings through {@code get} (argument, then environment; null when unset). */
    public static AdapterSettings from(Function<String, String> get) {
        Llm llm = null;
        String llmUrl = get.apply("llm.url");
        if (llmUrl != null) {
            llm = new Llm(HttpJson.base(llmUrl),
                    orDefault(get.apply("llm.model"), "llama3.1"),
                    Double.parseDouble(orDefault(get.apply("llm.temperature"), "0.2")),
                    Integer.parseInt(orDefault(get.apply("llm.max-tokens"), "300")),
                    get.apply("llm.api-key"),
                    guard(get, "llm", Duration.ofSeconds(10), 1, Duration.ofMillis(500), Duration.ofSeconds(5), 60, 20),
                    Double.parseDouble(orDefault(get.apply("llm.intent-below"), "0")));
        }
        Crm crm = null;
        String crmUrl = get.apply("crm.url");
        if (crmUrl != null) {
            crm = new Crm(HttpJson.base(crmUrl), get.apply("crm.api-key"),
                    guard(get, "crm", Duration.ofSeconds(2), 2, Duration.ofMillis(100), Duration.ofSeconds(1), 600, 100));
        }
        return new AdapterSettings(llm, crm);
    }

    private static GuardSettings guard(Function<String, String> get, String p, Duration timeout, int retries,
            Duration backoff, Duration maxBackoff, int perMinute, int capacity) {
        return new GuardSettings(
                duration(get.apply(p + ".timeout"), timeout),
                Integer.parseInt(orDefault(get.apply(p + ".retries"), Integer.toString(retries))),
                duration(get.apply(p + ".backoff"), backoff),
                duration(get.apply(p + ".backoff.max"), maxBackoff),
                Integer.parseInt(orDefault(get.apply(p + ".breaker.failures"), "5")),
                duration(get.apply(p + ".breaker.cooldown"), Duration.ofSeconds(30)),
                Integer.parseInt(orDefault(get.apply(p + ".budget.per-minute"), Integer.toString(perMinute))),
                Integer.parseInt(orDefault(get.apply(p + ".capacity"), Integer.toString(capacity))));
    }

    private static String orDefault(String v, String d) {
        return v == null ? d : v;
    }

    private static Duration duration(String v, Duration d) {
        return v == null ? d : TimeUtils.parseDuration(v);
    }
}
