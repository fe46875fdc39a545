package dev.leadqual.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leadqual.adapters.GuardedAdapter.Path;
import dev.leadqual.adapters.GuardedAdapter.Result;
import dev.leadqual.adapters.RecordingHttpServer.Reply;
import dev.leadqual.adapters.RecordingHttpServer.Request;
import dev.leadqual.schema.SalesHandoff;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The LLM adapter against a local server standing in for an OpenAI-compatible chat-completions
 * endpoint: the exact request, the documented response, errors, timeouts, the breaker, budgets.
 */
class LlmSummariesContractTest {

    static final String DETERMINISTIC = "Who: VP Customer Success · Northwind Traders · 900 employees\n"
            + "Need: chat_tool\nBudget: 50000 USD/year\nTimeline: next_month\nScore: 82/100";
    static final String MODEL_SUMMARY = "VP Customer Success at Northwind Traders (900 staff) needs a chat tool "
            + "for 200 seats, ~$50k/yr, live next month. Next step: book the demo.";

    private RecordingHttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = RecordingHttpServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    static String completion(String content) {
        return ChatCompletions.response(content);
    }

    static SalesHandoff handoff(String tenant, String session) {
        return SalesHandoff.newBuilder()
                .setHandoffId("h-" + session).setLeadId("lead-" + session).setTenantId(tenant).setSessionId(session)
                .setScore(82).setSummary(DETERMINISTIC)
                .setReasons(List.of("slots +35.0", "intent +22.5"))
                // A quote that (wrongly) still holds contact details: they must not leave the job.
                .setKeyQuotes(List.of("we need a chat tool for 200 seats", "mail me at dana.whitfield@northwind.example.com or +1 415 555 0199"))
                .setRouteTo("sales")
                .setHandedOffAt(Instant.parse("2026-03-10T09:02:00Z"))
                .setSlaDeadline(Instant.parse("2026-03-10T09:17:00Z"))
                .build();
    }

    static GuardSettings guard(Duration timeout, int retries, int breakerFailures, Duration cooldown, int perMinute) {
        return new GuardSettings(timeout, retries, Duration.ofMillis(50), Duration.ofSeconds(2), breakerFailures, cooldown,
                perMinute, 10);
    }

    private GuardedAdapter<SalesHandoff, SalesHandoff> adapter(GuardSettings guard, String apiKey) {
        LlmSummaries llm = new LlmSummaries(server.url() + "/", "llama3.1", 0.2, 300, apiKey, guard.timeout());
        llm.open();
        return GuardedAdapter.of("llm", llm, guard);
    }

    private static Result<SalesHandoff> await(GuardedAdapter<SalesHandoff, SalesHandoff> a, SalesHandoff h) throws Exception {
        return a.call(h).get(30, TimeUnit.SECONDS);
    }

    @Test
    void sendsTheDocumentedRequestWithRedactedContentAndUsesTheModelsSummary() throws Exception {
        server.then(Reply.json(200, completion(MODEL_SUMMARY)));
        var adapter = adapter(guard(Duration.ofSeconds(5), 1, 5, Duration.ofSeconds(30), 0), "sk-test-123");

        Result<SalesHandoff> r = await(adapter, handoff("acme", "s1"));

        assertThat(r.path()).isEqualTo(Path.REMOTE);
        assertThat(r.value().getSummary()).isEqualTo(MODEL_SUMMARY);
        assertThat(r.value().getSummarySource()).isEqualTo("llm");
        assertThat(r.value()).usingRecursiveComparison().ignoringFields("summary", "summary_source").isEqualTo(handoff("acme", "s1"));

        assertThat(server.requests()).hasSize(1);
        Request req = server.requests().get(0);
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.path()).isEqualTo("/v1/chat/completions");
        assertThat(req.header("Authorization")).isEqualTo("Bearer sk-test-123");
        assertThat(req.header("Content-Type")).isEqualTo("application/json");
        assertThat(req.header("Accept")).isEqualTo("application/json");
        JsonNode body = new ObjectMapper().readTree(req.body());
        assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("model", "messages", "temperature", "max_tokens");
        assertThat(body.get("model").asText()).isEqualTo("llama3.1");
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.get("max_tokens").asInt()).isEqualTo(300);
        assertThat(body.get("messages")).hasSize(2);
        assertThat(body.get("messages").get(0).get("role").asText()).isEqualTo("system");
        assertThat(body.get("messages").get(1).get("role").asText()).isEqualTo("user");
        String user = body.get("messages").get(1).get("content").asText();
        assertThat(user).contains("Northwind Traders", "Score: 82/100", "we need a chat tool for 200 seats", "[email]", "[phone]");
        assertThat(req.body()).doesNotContain("dana.whitfield", "@northwind", "555");
    }

    @Test
    void noAuthorizationHeaderWithoutAKeyAndTheModelsTextIsRedactedToo() throws Exception {
        server.then(Reply.json(200, completion("Call Dana at dana@northwind.example.com")));
        var adapter = adapter(guard(Duration.ofSeconds(5), 0, 5, Duration.ofSeconds(30), 0), null);

        Result<SalesHandoff> r = await(adapter, handoff("acme", "s1"));

        assertThat(server.requests().get(0).header("Authorization")).isNull();
        assertThat(r.value().getSummary()).isEqualTo("Call Dana at [email]");
    }

    @Test
    void aServerErrorIsRetriedAfterABackoff() throws Exception {
        server.then(Reply.json(500, "{\"error\":{\"message\":\"CUDA out of memory\"}}"), Reply.json(200, completion(MODEL_SUMMARY)));
        var adapter = adapter(guard(Duration.ofSeconds(5), 2, 5, Duration.ofSeconds(30), 0), null);

        Result<SalesHandoff> r = await(adapter, handoff("acme", "s1"));

        assertThat(r.path()).isEqualTo(Path.REMOTE);
        assertThat(r.value().getSummary()).isEqualTo(MODEL_SUMMARY);
        assertThat(server.requests()).hasSize(2);
        assertThat(adapter.stats()).extracting(GuardedAdapter.Stats::retries, GuardedAdapter.Stats::failures,
                GuardedAdapter.Stats::fallbacks).containsExactly(1L, 1L, 0L);
    }

    @Test
    void tooManyRequestsIsRetriedNoSoonerThanRetryAfter() throws Exception {
        server.then(Reply.json(429, "{\"error\":{\"message\":\"rate limited\"}}").withHeader("Retry-After", "1"),
                Reply.json(200, completion(MODEL_SUMMARY)));
        var adapter = adapter(guard(Duration.ofSeconds(5), 1, 5, Duration.ofSeconds(30), 0), null);

        Result<SalesHandoff> r = await(adapter, handoff("acme", "s1"));

        assertThat(r.value().getSummary()).isEqualTo(MODEL_SUMMARY);
        List<Request> reqs = server.requests();
        assertThat(reqs).hasSize(2);
        assertThat(Duration.ofNanos(reqs.get(1).receivedAtNanos() - reqs.get(0).receivedAtNanos()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void aRetryAfterLongerThanTheBackoffCapIsNotWaitedFor() throws Exception {
        server.then(Reply.json(429, "{}").withHeader("Retry-After", "120"));
        var adapter = adapter(guard(Duration.ofSeconds(5), 3, 5, Duration.ofSeconds(30), 0), null);

        long start = System.nanoTime();
        Result<SalesHandoff> r = await(adapter, handoff("acme", "s1"));

        assertThat(r.path()).isEqualTo(Path.FALLBACK);
        assertThat(r.reason()).isEqualTo("HTTP 429");
        assertThat(r.value().getSummary()).isEqualTo(DETERMINISTIC);
        assertThat(server.requests()).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void malformedAnswersFallBackToTheDeterministicSummaryWithoutRetrying() throws Exception {
        server.then(Reply.json(200, "{\"choices\": [ {\"message\": "),           // truncated JSON
                Reply.json(200, "{\"object\": \"chat.completion\", \"choices\": []}"), // no choice
                Reply.json(200, completion("   ")));                                 // blank content
        var adapter = adapter(guard(Duration.ofSeconds(5), 2, 5, Duration.ofSeconds(30), 0), null);

        for (int i = 0; i < 3; i++) {
            Result<SalesHandoff> r = await(adapter, handoff("acme", "s" + i));
            assertThat(r.path()).isEqualTo(Path.FALLBACK);
            assertThat(r.reason()).startsWith("malformed response");
            assertThat(r.value().getSummarySource()).isEqualTo("llm_fallback");
            assertThat(r.value()).usingRecursiveComparison().ignoringFields("summary_source").isEqualTo(handoff("acme", "s" + i));
        }
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void aServerSlowerThanTheTimeoutFallsBackInBoundedTime() throws Exception {
        server.otherwise(req -> Reply.json(200, completion(MODEL_SUMMARY)).after(3000));
        GuardSettings guard = guard(Duration.ofMillis(300), 1, 5, Duration.ofSeconds(30), 0);
        var adapter = adapter(guard, null);

        long start = System.nanoTime();
        Result<SalesHandoff> r = await(adapter, handoff("acme", "s1"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(r.path()).isEqualTo(Path.FALLBACK);
        assertThat(r.reason()).isEqualTo("timeout");
        assertThat(r.value().getSummary()).isEqualTo(DETERMINISTIC);
        assertThat(took).isLessThan(guard.worstCase().plusMillis(600));
        assertThat(server.requests()).hasSize(2);
        assertThat(adapter.stats().timeouts()).isEqualTo(2);
    }

    @Test
    void theBreakerOpensAfterConsecutiveFailuresShortCircuitsAndRecoversAfterTheCooldown() throws Exception {
        server.otherwise(req -> Reply.json(503, "{\"error\":\"model loading\"}"));
        var adapter = adapter(guard(Duration.ofSeconds(5), 0, 3, Duration.ofMillis(700), 0), null);

        for (int i = 0; i < 3; i++) {
            assertThat(await(adapter, handoff("acme", "s" + i)).path()).isEqualTo(Path.FALLBACK);
        }
        assertThat(adapter.breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
        // Open: answered at once from the fallback, the server is left alone.
        for (int i = 3; i < 8; i++) {
            Result<SalesHandoff> r = await(adapter, handoff("acme", "s" + i));
            assertThat(r.reason()).isEqualTo("circuit open");
            assertThat(r.value().getSummary()).isEqualTo(DETERMINISTIC);
        }
        assertThat(server.requests()).hasSize(3);

        // Back up; after the cool-down one probe goes through, succeeds and closes the breaker.
        server.otherwise(req -> Reply.json(200, completion(MODEL_SUMMARY)));
        Thread.sleep(800);
        Result<SalesHandoff> probe = await(adapter, handoff("acme", "probe"));
        assertThat(probe.path()).isEqualTo(Path.REMOTE);
        assertThat(adapter.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(await(adapter, handoff("acme", "after")).value().getSummary()).isEqualTo(MODEL_SUMMARY);
        assertThat(server.requests()).hasSize(5);
        assertThat(adapter.stats()).extracting(GuardedAdapter.Stats::shortCircuited, GuardedAdapter.Stats::breakerOpened)
                .containsExactly(5L, 1L);
    }

    @Test
    void eachTenantHasItsOwnBudget() throws Exception {
        server.otherwise(req -> Reply.json(200, completion(MODEL_SUMMARY)));
        var adapter = adapter(guard(Duration.ofSeconds(5), 0, 5, Duration.ofSeconds(30), 2), null);

        assertThat(await(adapter, handoff("acme", "a1")).path()).isEqualTo(Path.REMOTE);
        assertThat(await(adapter, handoff("acme", "a2")).path()).isEqualTo(Path.REMOTE);
        Result<SalesHandoff> third = await(adapter, handoff("acme", "a3"));
        assertThat(third.path()).isEqualTo(Path.FALLBACK);
        assertThat(third.reason()).isEqualTo("tenant budget spent");
        assertThat(third.value().getSummary()).isEqualTo(DETERMINISTIC);
        assertThat(await(adapter, handoff("globex", "g1")).path()).isEqualTo(Path.REMOTE);

        assertThat(server.requests()).hasSize(3);
        assertThat(adapter.stats().budgetRejected()).isEqualTo(1);
        assertThat(adapter.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
