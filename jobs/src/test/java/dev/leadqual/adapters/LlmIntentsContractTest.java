package dev.leadqual.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leadqual.adapters.GuardedAdapter.Path;
import dev.leadqual.adapters.GuardedAdapter.Result;
import dev.leadqual.adapters.RecordingHttpServer.Reply;
import dev.leadqual.adapters.RecordingHttpServer.Request;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.SenderRole;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The LLM intent second opinion against a local server standing in for an OpenAI-compatible
 * chat-completions endpoint: which messages are sent, the exact request, the hint it yields, and the
 * model's own answer kept on errors, timeouts and unusable answers.
 */
class LlmIntentsContractTest {

    private static final String TEXT = "hmm, so could dana.whitfield@northwind.example.com maybe see it working sometime?";

    static ChatEvent message(SenderRole role, String text, Map<String, String> attributes) {
        return ChatEvent.newBuilder().setEventId("e-1").setSessionId("s-1").setTenantId("acme").setSenderRole(role)
                .setText(text).setLocale("en").setSentAt(Instant.parse("2026-03-10T09:00:00Z"))
                .setAttributes(attributes).build();
    }

    /** {@code below} 1.0: every message the model is not certain about (confidence < 1) gets a second opinion. */
    private static GuardedAdapter<ChatEvent, ChatEvent> adapter(RecordingHttpServer server, double below, Duration timeout,
            int retries) {
        LlmIntents llm = new LlmIntents(server.url(), "llama3.1", 0.0, 20, "sk-test-123", timeout, below);
        llm.open();
        GuardSettings guard = new GuardSettings(timeout, retries, Duration.ofMillis(50), Duration.ofSeconds(1), 5,
                Duration.ofSeconds(30), 0, 10);
        return GuardedAdapter.of("llm-intent", llm, guard);
    }

    private static Result<ChatEvent> await(GuardedAdapter<ChatEvent, ChatEvent> a, ChatEvent e) throws Exception {
        return a.call(e).get(30, TimeUnit.SECONDS);
    }

    @Test
    void anUncertainMessageIsSentRedactedAndTheAnswerTravelsAsAHint() throws Exception {
        try (RecordingHttpServer server = RecordingHttpServer.start()) {
            server.then(Reply.json(200, ChatCompletions.response("{\"intent\": \"demo_request\"}")));
            var adapter = adapter(server, 1.0, Duration.ofSeconds(5), 0);

            Result<ChatEvent> r = await(adapter, message(SenderRole.VISITOR, TEXT, Map.of("platform_event", "message")));

            assertThat(r.path()).isEqualTo(Path.REMOTE);
            assertThat(r.value().getAttributes()).containsEntry(LlmIntents.HINT, "demo_request")
                    .containsEntry("platform_event", "message");
            assertThat(r.value().getText()).isEqualTo(TEXT);

            Request req = server.requests().get(0);
            assertThat(req.method()).isEqualTo("POST");
            assertThat(req.path()).isEqualTo("/v1/chat/completions");
            assertThat(req.header("Authorization")).isEqualTo("Bearer sk-test-123");
            assertThat(req.header("Content-Type")).isEqualTo("application/json");
            JsonNode body = new ObjectMapper().readTree(req.body());
            assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("model", "messages", "temperature", "max_tokens");
            assertThat(body.get("model").asText()).isEqualTo("llama3.1");
            assertThat(body.get("temperature").asDouble()).isEqualTo(0.0);
            assertThat(body.get("max_tokens").asInt()).isEqualTo(20);
            assertThat(body.get("messages")).hasSize(2);
            assertThat(body.at("/messages/0/role").asText()).isEqualTo("system");
            assertThat(body.at("/messages/0/content").asText()).contains("{\"intent\":", "demo_request", "pricing", "bug", "greeting");
            assertThat(body.at("/messages/1/role").asText()).isEqualTo("user");
            assertThat(body.at("/messages/1/content").asText())
                    .isEqualTo("Message (locale en):\nhmm, so could [email] maybe see it working sometime?");
            assertThat(req.body()).doesNotContain("dana.whitfield", "northwind.example");
        }
    }

    @Test
    void confidentMessagesAndOtherEventsNeedNoCallAndAnInputHintIsRemoved() throws Exception {
        try (RecordingHttpServer server = RecordingHttpServer.start()) {
            var sure = adapter(server, 0.0001, Duration.ofSeconds(5), 0);
            var any = adapter(server, 1.0, Duration.ofSeconds(5), 0);

            Result<ChatEvent> confident = await(sure, message(SenderRole.VISITOR, "Can we book a demo next week?",
                    Map.of(LlmIntents.HINT, "refund")));
            Result<ChatEvent> agent = await(any, message(SenderRole.AGENT, TEXT, Map.of()));
            Result<ChatEvent> blank = await(any, message(SenderRole.VISITOR, " ", Map.of()));

            assertThat(confident.path()).isEqualTo(Path.SKIPPED);
            assertThat(confident.value().getAttributes()).as("producers cannot set the hint").doesNotContainKey(LlmIntents.HINT);
            assertThat(agent.path()).isEqualTo(Path.SKIPPED);
            assertThat(blank.path()).isEqualTo(Path.SKIPPED);
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void errorsAndUnusableAnswersKeepTheModelsAnswerAndAFencedAnswerIsRead() throws Exception {
        try (RecordingHttpServer server = RecordingHttpServer.start()) {
            server.then(Reply.json(500, "{\"error\":\"model loading\"}"),
                    Reply.json(200, ChatCompletions.response("I think they want a demo!")),          // not JSON
                    Reply.json(200, ChatCompletions.response("{\"intent\": \"buy_everything\"}")),  // not a known intent
                    Reply.json(200, "{\"choices\": []}"),                                            // no choice
                    Reply.json(200, ChatCompletions.response("```json\n{\"intent\": \"Pricing\"}\n```")));
            var adapter = adapter(server, 1.0, Duration.ofSeconds(5), 0);
            ChatEvent in = message(SenderRole.VISITOR, TEXT, Map.of());

            for (String reason : new String[] {"HTTP 500", "malformed response: answer is not JSON",
                    "malformed response: unknown intent", "malformed response: no choices[0].message.content"}) {
                Result<ChatEvent> r = await(adapter, in);
                assertThat(r.path()).isEqualTo(Path.FALLBACK);
                assertThat(r.reason()).isEqualTo(reason);
                assertThat(r.value()).isEqualTo(in);
            }
            Result<ChatEvent> fenced = await(adapter, in);
            assertThat(fenced.path()).isEqualTo(Path.REMOTE);
            assertThat(fenced.value().getAttributes()).containsEntry(LlmIntents.HINT, "pricing");
        }
    }

    @Test
    void aServerSlowerThanTheTimeoutKeepsTheModelsAnswerInBoundedTime() throws Exception {
        try (RecordingHttpServer server = RecordingHttpServer.start()) {
            server.otherwise(req -> Reply.json(200, ChatCompletions.response("{\"intent\": \"demo_request\"}")).after(3000));
            var adapter = adapter(server, 1.0, Duration.ofMillis(300), 1);
            ChatEvent in = message(SenderRole.VISITOR, TEXT, Map.of());

            long start = System.nanoTime();
            Result<ChatEvent> r = await(adapter, in);

            assertThat(r.path()).isEqualTo(Path.FALLBACK);
            assertThat(r.reason()).isEqualTo("timeout");
            assertThat(r.value()).isEqualTo(in);
            assertThat(server.requests()).hasSize(2);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(adapter.settings().worstCase().plusMillis(600));
        }
    }
}
