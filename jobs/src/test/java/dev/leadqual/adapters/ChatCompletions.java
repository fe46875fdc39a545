package dev.leadqual.adapters;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Answers in the documented shape of {@code POST /v1/chat/completions} (OpenAI; vLLM and Ollama answer the same). */
public final class ChatCompletions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatCompletions() {}

    /** A non-streaming completion whose first choice says {@code content}. */
    public static String response(String content) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", "chatcmpl-123").put("object", "chat.completion").put("created", 1741600000L)
                .put("model", "llama3.1").put("system_fingerprint", "fp_44709d6fcb");
        ObjectNode choice = r.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content);
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        r.putObject("usage").put("prompt_tokens", 180).put("completion_tokens", 41).put("total_tokens", 221);
        return r.toString();
    }
}
