package dev.leadqual.udfs.normalise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.SourcePlatform;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwilioNormaliserTest {
  private final ChatNormaliser normaliser = ChatNormaliser.create();

  @Test
  void messageAddedCloudEventBecomesAMessage() throws Exception {
    ChatEvent e = normaliser.normalise(Payloads.load("twilio/message_added.json")).get(0);
    assertThat(e.getSourcePlatform()).isEqualTo(SourcePlatform.TWILIO);
    assertThat(e.getEventId()).isEqualTo("twilio:EZ00000000000000000000000000000001");
    assertThat(e.getSessionId()).isEqualTo("twilio:CH00000000000000000000000000000001");
    assertThat(e.getChannel()).isEqualTo("whatsapp");
    assertThat(e.getSenderRole()).isEqualTo(SenderRole.VISITOR);
    assertThat(e.getContact().getPhone()).isEqualTo("+5511987654321");
    assertThat(e.getSentAt()).isEqualTo(Instant.parse("2026-03-10T09:30:00Z"));
  }

  @Test
  void batchDeliveryKeepsOrderAndMapsClosedStateAndSkipsParticipants() throws Exception {
    List<ChatEvent> events = normaliser.normalise(Payloads.load("twilio/batch.json"));
    assertThat(events).extracting(ChatEvent::getEventType)
        .containsExactly(ChatEventType.MESSAGE, ChatEventType.SESSION_CLOSED);
    assertThat(events.get(0).getChannel()).isEqualTo("sms");
  }
}
