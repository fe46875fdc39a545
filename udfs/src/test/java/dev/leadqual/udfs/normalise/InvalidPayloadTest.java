package dev.leadqual.udfs.normalise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

class InvalidPayloadTest {
  private final ChatNormaliser normaliser = ChatNormaliser.create();

  private InvalidPayloadException fail(String json) {
    try {
      normaliser.normalise(json.getBytes(StandardCharsets.UTF_8));
    } catch (InvalidPayloadException e) {
      return e;
    }
    throw new AssertionError("expected InvalidPayloadException");
  }

  @Test
  void garbageAndUnknownShapesAreRejectedWithReasonsWithoutText() {
    assertThat(fail("{not json").reason()).startsWith("not valid JSON");
    assertThat(fail("42").reason()).isEqualTo("payload is not a JSON object");
    assertThat(fail("{\"hello\":\"secret words\"}").reason()).isEqualTo("unrecognised payload shape");
    InvalidPayloadException e = fail(
        "{\"event\":\"message_created\",\"content\":\"my secret text\",\"message_type\":\"incoming\",\"created_at\":\"2026-03-10T09:15:02Z\"}");
    assertThat(e.reason()).isEqualTo("chatwoot: message id missing").doesNotContain("secret");
    assertThatThrownBy(() -> normaliser.normalise(new byte[0])).isInstanceOf(InvalidPayloadException.class);
  }

  @Test
  void badTimestampIsRejected() {
    String rasa = "{\"sender_id\":\"s1\",\"timestamp\":\"yesterday\",\"event\":\"user\",\"text\":\"hi\"}";
    assertThat(fail(rasa).reason()).isEqualTo("rasa: timestamp missing or not a timestamp");
  }

  @Test
  void nativeJsonIsAcceptedAndValidated() throws Exception {
    String ok = "{\"event_id\":\"e1\",\"session_id\":\"s1\",\"sent_at\":1773134102000,\"text\":\"hi\"}";
    assertThat(normaliser.normalise(ok.getBytes(StandardCharsets.UTF_8))).hasSize(1);
    String blank = "{\"event_id\":\"e1\",\"session_id\":\"s1\",\"sent_at\":1773134102000,\"text\":\"\\u0000\\u0007 \"}";
    assertThat(fail(blank).reason()).contains("control characters");
  }

  @Test
  void validatorExplainsUnusableEvents() {
    ChatEvent.Builder b = ChatEvent.newBuilder().setEventId("e1").setSessionId("s1")
        .setSentAt(Instant.parse("2026-03-10T09:00:00Z")).setText("hello").setAttributes(new HashMap<>());
    long now = Instant.parse("2026-03-10T10:00:00Z").toEpochMilli();
    assertThat(ChatEventValidator.problem(b.build(), now)).isEmpty();
    assertThat(ChatEventValidator.problem(ChatEvent.newBuilder(b).setEventId(" ").build(), now)).contains("missing event_id");
    assertThat(ChatEventValidator.problem(ChatEvent.newBuilder(b).setText(null).build(), now)).contains("MESSAGE without text");
    assertThat(ChatEventValidator.problem(ChatEvent.newBuilder(b).setText(null).setEventType(ChatEventType.SESSION_CLOSED).build(), now)).isEmpty();
    assertThat(ChatEventValidator.problem(ChatEvent.newBuilder(b).setText("x".repeat(70_000)).build(), now)).contains("text over 64 KiB");
    assertThat(ChatEventValidator.problem(ChatEvent.newBuilder(b).setSentAt(Instant.parse("1970-01-02T00:00:00Z")).build(), now)).contains("sent_at before 2000-01-01");
    assertThat(ChatEventValidator.problem(ChatEvent.newBuilder(b).setSentAt(Instant.parse("2026-03-20T00:00:00Z")).build(), now)).contains("sent_at more than a day in the future");
  }
}
