package dev.leadqual.udfs.normalise;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.Contact;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.SourcePlatform;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A mutable ChatEvent under construction. Builds through the all-args constructor: Avro's
 * generated Builder validates and deep-copies defaults on every build, which costs more than the
 * whole JSON parse of a webhook.
 */
final class EventDraft {
  private String eventId;
  private String sessionId;
  private String tenantId = "default";
  private String channel = "web";
  private SourcePlatform sourcePlatform = SourcePlatform.NATIVE;
  private ChatEventType eventType = ChatEventType.MESSAGE;
  private SenderRole senderRole = SenderRole.VISITOR;
  private String senderId;
  private String text;
  private Instant sentAt;
  private String locale;
  private Map<String, String> attributes = new HashMap<>(4);
  private String traceId;
  private Contact contact;

  EventDraft setEventId(String v) {
    eventId = v;
    return this;
  }

  EventDraft setSessionId(String v) {
    sessionId = v;
    return this;
  }

  EventDraft setTenantId(String v) {
    tenantId = v;
    return this;
  }

  EventDraft setChannel(String v) {
    channel = v;
    return this;
  }

  EventDraft setSourcePlatform(SourcePlatform v) {
    sourcePlatform = v;
    return this;
  }

  EventDraft setEventType(ChatEventType v) {
    eventType = v;
    return this;
  }

  EventDraft setSenderRole(SenderRole v) {
    senderRole = v;
    return this;
  }

  EventDraft setSenderId(String v) {
    senderId = v;
    return this;
  }

  EventDraft setText(String v) {
    text = v;
    return this;
  }

  EventDraft setSentAt(Instant v) {
    sentAt = v;
    return this;
  }

  EventDraft setLocale(String v) {
    locale = v;
    return this;
  }

  EventDraft setAttributes(Map<String, String> v) {
    attributes = v;
    return this;
  }

  Map<String, String> getAttributes() {
    return attributes;
  }

  EventDraft setTraceId(String v) {
    traceId = v;
    return this;
  }

  EventDraft setContact(Contact v) {
    contact = v;
    return this;
  }

  ChatEvent build() {
    if (eventId == null || sessionId == null || sentAt == null) {
      throw new IllegalStateException("event_id, session_id and sent_at are required");
    }
    return new ChatEvent(eventId, sessionId, tenantId, channel, sourcePlatform, eventType, senderRole, senderId, text, sentAt,
        locale, attributes, traceId, contact);
  }
}
