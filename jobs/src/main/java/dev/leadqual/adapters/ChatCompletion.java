package dev.leadqual.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One OpenAI-compatible chat-completions endpoint (vLLM, Ollama, llama.cpp server, OpenAI), shared by
 * the LLM adapters: {@code POST {base}/v1/chat/completions} with {@code model}, {@code messages} (a
 * system instruction and one user message), {@code temperature} and {@code max_tokens}; bearer API
 * key when set. The answer is {@code choices[0].message.content}.
 */
final class ChatCompletion implements Serializable {

    static final String PATH = "/v1/chat/completions";

    private final String base;
    private final String model;
    private final double temperature;
    private final int maxTokens;
    private final String apiKey;
    private final Duration connectTimeout;
    private transient HttpClient client;

    ChatCompletion(String baseUrl, String model, double temperature, int maxTokens, String apiKey, Duration connectTimeout) {
        this.base = HttpJson.base(baseUrl);
        this.model = model;
        this.temperature = temperature;
        this.maxTokens = maxTokens;
        this.apiKey = apiKey;
        this.connectTimeout = connectTimeout;
    }

    void open() {
        client = HttpJson.client(connectTimeout);
    }

    /** The content of the first choice; a {@link RemoteException} (in the future) for errors and malformed answers. */
    CompletableFuture<String> complete(String system, String user, Duration timeout) {
        if (client == null) {
            open();
        }
        HttpRequest request = HttpJson.request(URI.create(base + PATH), timeout, apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody(system, user)))
                .build();
        return HttpJson.send(client, request).thenApply(response -> {
            try {
                return content(HttpJson.body(response));
            } catch (RemoteException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** The request: model, messages (system, user), temperature, max_tokens. */
    String requestBody(String system, String user) {
        ObjectNode body = HttpJson.JSON.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        body.put("temperature", temperature);
        body.put("max_tokens", maxTokens);
        return body.toString();
    }

    /** {@code choices[0].message.content}, stripped; malformed when missing or blank. */
    static String content(JsonNode response) throws RemoteException {
        JsonNode content = response.path("choices").path(0).path("message").path("content");
        if (!content.isTextual() || content.asText().isBlank()) {
            throw RemoteException.malformed("no choices[0].message.content");
        }
        return content.asText().strip();
    }
}
