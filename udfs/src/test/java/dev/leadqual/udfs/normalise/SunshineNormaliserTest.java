package dev.leadqual.udfs.normalise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.SourcePlatform;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SunshineNormaliserTest {
  private final ChatNormaliser normaliser = ChatNormaliser.create();

  @Test
  void userMessageBecomesVisitorMessageAndTypingIsIgnored() throws Exception {
    List<ChatEvent> events = normaliser.normalise(Payloads.load("sunshine/conversation_message_user.json"));
    assertThat(events).hasSize(1);
    ChatEvent e = events.get(0);
    assertThat(e.getSourcePlatform()).isEqualTo(SourcePlatform.ZENDESK);
    assertThat(e.getSenderRole()).isEqualTo(SenderRole.VISITOR);
    assertThat(e.getEventId()).isEqualTo("sunco:0ca7d56ba7b2e081e479fe9e");
    assertThat(e.getSessionId()).isEqualTo("sunco:5698edbf2a43bd081be982f1:13f32c6cf7d0d38e6e0eba93");
    assertThat(e.getSentAt()).isEqualTo(Instant.parse("2026-03-10T09:20:37.547Z"));
    assertThat(e.getText()).startsWith("Bonjour");
    assertThat(e.getContact().getName()).isEqualTo("Camille Duval");
    assertThat(e.getContact().getEmail()).isEqualTo("camille.duval@duval.example");
    assertThat(e.getLocale()).isEqualTo("fr-FR");
  }

  @Test
  void businessMessageIsAgent() throws Exception {
    ChatEvent e = normaliser.normalise(Payloads.load("sunshine/conversation_message_business.json")).get(0);
    assertThat(e.getSenderRole()).isEqualTo(SenderRole.AGENT);
    assertThat(e.getContact()).isNull();
  }
}
