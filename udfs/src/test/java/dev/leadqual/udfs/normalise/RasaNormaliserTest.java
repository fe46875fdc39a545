package dev.leadqual.udfs.normalise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.SourcePlatform;
import org.junit.jupiter.api.Test;

class RasaNormaliserTest {
  private final ChatNormaliser normaliser = ChatNormaliser.create();

  @Test
  void userEventIsVisitorMessageWithMessageIdAsEventId() throws Exception {
    ChatEvent e = normaliser.normalise(Payloads.load("rasa/user.json")).get(0);
    assertThat(e.getSourcePlatform()).isEqualTo(SourcePlatform.RASA);
    assertThat(e.getSenderRole()).isEqualTo(SenderRole.VISITOR);
    assertThat(e.getEventId()).isEqualTo("rasa:9b2f6c1e-visitor:user:4d3c1a2b9e8f4d6c");
    assertThat(e.getSessionId()).isEqualTo("rasa:9b2f6c1e-visitor");
    assertThat(e.getSentAt().toEpochMilli()).isEqualTo(1773134102617L);
    assertThat(e.getLocale()).isEqualTo("es");
    assertThat(e.getAttributes()).containsEntry("rasa_intent", "billing_issue");
  }

  @Test
  void botEventIsBotAndActionsAreSkipped() throws Exception {
    assertThat(normaliser.normalise(Payloads.load("rasa/bot.json")).get(0).getSenderRole()).isEqualTo(SenderRole.BOT);
    assertThat(normaliser.normalise(Payloads.load("rasa/action.json"))).isEmpty();
  }
}
