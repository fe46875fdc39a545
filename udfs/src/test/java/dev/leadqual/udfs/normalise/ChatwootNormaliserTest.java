package dev.leadqual.udfs.normalise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.SourcePlatform;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatwootNormaliserTest {
  private final ChatNormaliser normaliser = ChatNormaliser.create();

  @Test
  void incomingMessageBecomesVisitorMessageWithContactFromConversationMeta() throws Exception {
    List<ChatEvent> events = normaliser.normalise(Payloads.load("chatwoot/message_created_incoming.json"));
    assertThat(events).hasSize(1);
    ChatEvent e = events.get(0);
    assertThat(e.getSourcePlatform()).isEqualTo(SourcePlatform.CHATWOOT);
    assertThat(e.getEventType()).isEqualTo(ChatEventType.MESSAGE);
    assertThat(e.getSenderRole()).isEqualTo(SenderRole.VISITOR);
    assertThat(e.getEventId()).isEqualTo("chatwoot:7:4711");
    assertThat(e.getSessionId()).isEqualTo("chatwoot:7:321");
    assertThat(e.getText()).isEqualTo("Hi, how much is the enterprise plan for 200 seats?");
    assertThat(e.getSentAt()).isEqualTo(Instant.parse("2026-03-10T09:15:02Z"));
    assertThat(e.getChannel()).isEqualTo("web");
    assertThat(e.getLocale()).isEqualTo("en");
    assertThat(e.getContact().getEmail()).isEqualTo("dana.whitfield@northwind.example");
    assertThat(e.getContact().getPhone()).isEqualTo("+14155550132");
    assertThat(e.getContact().getName()).isEqualTo("Dana Whitfield");
  }

  @Test
  void redeliveryKeepsTheEventId() throws Exception {
    byte[] p = Payloads.load("chatwoot/message_created_incoming.json");
    assertThat(normaliser.normalise(p).get(0).getEventId()).isEqualTo(normaliser.normalise(p).get(0).getEventId());
  }

  @Test
  void privateNoteIsSkipped() throws Exception {
    assertThat(normaliser.normalise(Payloads.load("chatwoot/message_created_private_note.json"))).isEmpty();
  }

  @Test
  void outgoingMessageIsFromAgentAndParsesChatwootUtcTimestamps() throws Exception {
    ChatEvent e = normaliser.normalise(Payloads.load("chatwoot/message_created_outgoing.json")).get(0);
    assertThat(e.getSenderRole()).isEqualTo(SenderRole.AGENT);
    assertThat(e.getContact()).isNull();
    assertThat(e.getSentAt()).isEqualTo(Instant.parse("2026-03-10T09:16:30Z"));
  }

  @Test
  void editedMessageGetsItsOwnIdDistinctFromTheOriginal() throws Exception {
    ChatEvent e = normaliser.normalise(Payloads.load("chatwoot/message_updated.json")).get(0);
    assertThat(e.getEventId()).startsWith("chatwoot:7:4711:updated:");
    assertThat(e.getAttributes()).containsEntry("edited", "true");
    assertThat(e.getText()).contains("250 seats");
  }

  @Test
  void resolvedStatusClosesTheSession() throws Exception {
    ChatEvent e = normaliser.normalise(Payloads.load("chatwoot/conversation_status_changed_resolved.json")).get(0);
    assertThat(e.getEventType()).isEqualTo(ChatEventType.SESSION_CLOSED);
    assertThat(e.getSessionId()).isEqualTo("chatwoot:7:321");
    assertThat(e.getSentAt()).isEqualTo(Instant.ofEpochSecond(1773135000));
    assertThat(e.getText()).isNull();
  }

  @Test
  void conversationCreatedOpensTheSession() throws Exception {
    ChatEvent e = normaliser.normalise(Payloads.load("chatwoot/conversation_created.json")).get(0);
    assertThat(e.getEventType()).isEqualTo(ChatEventType.SESSION_OPENED);
    assertThat(e.getSessionId()).isEqualTo("chatwoot:7:322");
  }
}
