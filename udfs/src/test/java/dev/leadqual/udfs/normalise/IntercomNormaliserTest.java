package dev.leadqual.udfs.normalise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.SourcePlatform;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IntercomNormaliserTest {
  private final ChatNormaliser normaliser = ChatNormaliser.create();

  @Test
  void userCreatedTakesTheFirstMessageAndStripsHtml() throws Exception {
    ChatEvent e = normaliser.normalise(Payloads.load("intercom/conversation_user_created.json")).get(0);
    assertThat(e.getSourcePlatform()).isEqualTo(SourcePlatform.INTERCOM);
    assertThat(e.getSenderRole()).isEqualTo(SenderRole.VISITOR);
    assertThat(e.getEventId()).isEqualTo("intercom:notif_1a2b3c4d-0000-4fb0-9e17-dc44d91bcb01");
    assertThat(e.getSessionId()).isEqualTo("intercom:i6wc9ipe:21322009097");
    assertThat(e.getText()).isEqualTo("Hallo, können wir nächste Woche eine Demo vereinbaren?\nWir sind 40 Mitarbeiter.");
    assertThat(e.getContact().getEmail()).isEqualTo("lena.vogt@example.de");
    assertThat(e.getSentAt()).isEqualTo(Instant.ofEpochSecond(1773134102));
  }

  @Test
  void userRepliedTakesCommentPartsAndDecodesEntities() throws Exception {
    ChatEvent e = normaliser.normalise(Payloads.load("intercom/conversation_user_replied.json")).get(0);
    assertThat(e.getEventId()).isEqualTo("intercom:notif_2c71fff0-65ef-46be-bbfe-dbf637bbff15:2824391734");
    assertThat(e.getText()).isEqualTo("Unser Budget liegt bei 20.000 € pro Jahr & wir wollen im Q3 starten.");
    assertThat(e.getSenderRole()).isEqualTo(SenderRole.VISITOR);
  }

  @Test
  void adminReplyIsAgent() throws Exception {
    ChatEvent e = normaliser.normalise(Payloads.load("intercom/conversation_admin_replied.json")).get(0);
    assertThat(e.getSenderRole()).isEqualTo(SenderRole.AGENT);
    assertThat(e.getSenderId()).isEqualTo("1957471");
    assertThat(e.getContact()).isNull();
  }

  @Test
  void notesAndPingsAreSkipped() throws Exception {
    assertThat(normaliser.normalise(Payloads.load("intercom/conversation_admin_noted.json"))).isEmpty();
    assertThat(normaliser.normalise(Payloads.load("intercom/ping.json"))).isEmpty();
  }

  @Test
  void adminClosedClosesTheSession() throws Exception {
    ChatEvent e = normaliser.normalise(Payloads.load("intercom/conversation_admin_closed.json")).get(0);
    assertThat(e.getEventType()).isEqualTo(ChatEventType.SESSION_CLOSED);
    assertThat(e.getSentAt()).isEqualTo(Instant.ofEpochSecond(1773135389));
  }
}
