package dev.leadqual.udfs.normalise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.Contact;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.SourcePlatform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one raw payload (JSON bytes as received from a platform webhook or event stream) into zero
 * or more {@link ChatEvent}s. The platform is recognised from the payload's shape:
 *
 * <ul>
 *   <li>Chatwoot webhooks: top-level {@code event} (message_created, message_updated,
 *       conversation_created, conversation_status_changed, ...);
 *   <li>Intercom: {@code type = notification_event} with a {@code topic};
 *   <li>Zendesk Sunshine Conversations v2: {@code app}, {@code webhook} and {@code events[]};
 *   <li>Twilio Event Streams: CloudEvents ({@code specversion}, {@code type = com.twilio.*}), one
 *       event or the array a webhook sink delivers;
 *   <li>Rasa event broker: {@code sender_id} and {@code event} (user, bot, session_started, ...);
 *   <li>our own ChatEvent as JSON ({@code event_id} and {@code session_id}), as NATIVE.
 * </ul>
 *
 * <p>Payloads we deliberately ignore (private notes, typing indicators, webhooks about contacts or
 * admins, attachment-only messages) give an empty list. Anything unreadable throws
 * {@link InvalidPayloadException} with a reason that never contains message text. Platform delivery
 * or message ids become {@code event_id} (prefixed by the platform), so redeliveries keep their id.
 * Thread-safe.
 */
public final class ChatNormaliser {
  /** Payloads larger than this are refused before parsing. */
  public static final int MAX_PAYLOAD_BYTES = 1 << 20;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

  private final String tenantId;

  private ChatNormaliser(String tenantId) {
    this.tenantId = tenantId;
  }

  public static ChatNormaliser create() {
    return new ChatNormaliser("default");
  }

  /** A normaliser that stamps every event with this tenant id. */
  public static ChatNormaliser create(String tenantId) {
    if (tenantId == null || tenantId.isBlank()) {
      throw new IllegalArgumentException("tenantId");
    }
    return new ChatNormaliser(tenantId);
  }

  public List<ChatEvent> normalise(byte[] jsonPayload) throws InvalidPayloadException {
    if (jsonPayload == null || jsonPayload.length == 0) {
      throw new InvalidPayloadException("empty payload");
    }
    if (jsonPayload.length > MAX_PAYLOAD_BYTES) {
      throw new InvalidPayloadException("payload larger than 1 MiB");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(jsonPayload);
    } catch (JsonProcessingException e) {
      throw new InvalidPayloadException("not valid JSON (line " + e.getLocation().getLineNr() + ")");
    } catch (IOException e) {
      throw new InvalidPayloadException("not valid JSON");
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidPayloadException("empty payload");
    }
    List<ChatEvent> out = new ArrayList<>(2);
    if (root.isArray()) {
      if (root.isEmpty()) {
        return List.of();
      }
      for (JsonNode n : root) {
        if (!n.isObject()) {
          throw new InvalidPayloadException("array element is not a JSON object");
        }
        dispatch(n, out);
      }
    } else if (root.isObject()) {
      dispatch(root, out);
    } else {
      throw new InvalidPayloadException("payload is not a JSON object");
    }
    for (ChatEvent e : out) {
      Optional<String> problem = ChatEventValidator.problem(e);
      if (problem.isPresent()) {
        throw new InvalidPayloadException(e.getSourcePlatform().name().toLowerCase() + ": " + problem.get());
      }
    }
    return out;
  }

  private void dispatch(JsonNode n, List<ChatEvent> out) throws InvalidPayloadException {
    if (n.hasNonNull("specversion") && n.path("type").asText("").startsWith("com.twilio.")) {
      twilio(n, out);
    } else if ("notification_event".equals(n.path("type").asText(null)) && n.has("topic")) {
      intercom(n, out);
    } else if (n.has("events") && n.get("events").isArray() && (n.has("app") || n.has("webhook"))) {
      sunshine(n, out);
    } else if (n.has("sender_id") && n.has("event") && !n.has("account")) {
      rasa(n, out);
    } else if (n.hasNonNull("event") && n.get("event").isTextual()) {
      chatwoot(n, out);
    } else if (n.has("event_id") && n.has("session_id")) {
      nativeEvent(n, out);
    } else {
      throw new InvalidPayloadException("unrecognised payload shape");
    }
  }

  private EventDraft base(SourcePlatform p, String eventId, String sessionId, Instant at) {
    return new EventDraft()
        .setEventId(eventId)
        .setSessionId(sessionId)
        .setTenantId(tenantId)
        .setChannel("web")
        .setSourcePlatform(p)
        .setEventType(ChatEventType.MESSAGE)
        .setSenderRole(SenderRole.VISITOR)
        .setSentAt(at)
        .setAttributes(new HashMap<>());
  }

  private static String require(String value, String what) throws InvalidPayloadException {
    if (value == null || value.isBlank()) {
      throw new InvalidPayloadException(what + " missing");
    }
    return value;
  }

  private static Instant requireTime(Instant t, String what) throws InvalidPayloadException {
    if (t == null) {
      throw new InvalidPayloadException(what + " missing or not a timestamp");
    }
    return t;
  }

  // ---------------------------------------------------------------- Chatwoot

  private void chatwoot(JsonNode n, List<ChatEvent> out) throws InvalidPayloadException {
    String event = n.get("event").asText();
    switch (event) {
      case "message_created":
      case "message_updated":
        chatwootMessage(n, event, out);
        return;
      case "conversation_created":
      case "conversation_opened":
      case "conversation_resolved":
      case "conversation_status_changed":
        chatwootConversation(n, event, out);
        return;
      default:
        // contact_*, conversation_updated, typing, webwidget_triggered, ...: not chat content.
        if (event.startsWith("contact_") || event.startsWith("conversation_") || event.startsWith("webwidget_")
            || event.startsWith("inbox_") || event.startsWith("automation_event")) {
          return;
        }
        throw new InvalidPayloadException("chatwoot: unknown event type");
    }
  }

  private void chatwootMessage(JsonNode n, String event, List<ChatEvent> out) throws InvalidPayloadException {
    if (n.path("private").asBoolean(false)) {
      return; // private note: agents only
    }
    String messageId = require(Json.text(n, "id"), "chatwoot: message id");
    JsonNode conv = Json.node(n, "conversation");
    String convId = require(conv == null ? null : Json.text(conv, "id"), "chatwoot: conversation id");
    String account = Json.text(n, "account", "id");
    SenderRole role;
    JsonNode mt = n.get("message_type");
    String type = mt == null ? "" : mt.isInt() ? chatwootMessageType(mt.asInt()) : mt.asText();
    String senderType = Json.text(n, "sender", "type");
    switch (type) {
      case "incoming":
        role = SenderRole.VISITOR;
        break;
      case "outgoing":
        role = "agent_bot".equals(senderType) || "AgentBot".equals(senderType) ? SenderRole.BOT : SenderRole.AGENT;
        break;
      case "template":
        role = SenderRole.BOT;
        break;
      case "activity":
        return; // "Conversation was resolved by ...": lifecycle comes from conversation_* webhooks
      default:
        throw new InvalidPayloadException("chatwoot: unknown message_type");
    }
    String content = Json.text(n, "content");
    if (content == null || content.isBlank()) {
      return; // attachment-only message
    }
    Instant at = requireTime(Json.instant(n.get("created_at")), "chatwoot: created_at");
    String eventId = "chatwoot:" + (account == null ? "" : account + ":") + messageId;
    if ("message_updated".equals(event)) {
      eventId += ":updated:" + Integer.toHexString(content.hashCode());
    }
    EventDraft b = base(SourcePlatform.CHATWOOT, eventId,
            "chatwoot:" + (account == null ? "" : account + ":") + convId, at)
        .setSenderRole(role)
        .setSenderId(Json.text(n, "sender", "id"))
        .setText(content)
        .setChannel(chatwootChannel(Json.text(conv, "channel")));
    Map<String, String> attrs = b.getAttributes();
    attrs.put("platform_event", event);
    putIfPresent(attrs, "inbox_id", Json.text(n, "inbox", "id"));
    putIfPresent(attrs, "account_id", account);
    if ("message_updated".equals(event)) {
      attrs.put("edited", "true");
    }
    if (role == SenderRole.VISITOR) {
      b.setContact(chatwootContact(Json.node(conv, "meta", "sender")));
    }
    String lang = Json.text(conv, "additional_attributes", "browser_language");
    if (lang != null) {
      b.setLocale(lang);
    }
    out.add(b.build());
  }

  private static String chatwootMessageType(int t) {
    switch (t) {
      case 0: return "incoming";
      case 1: return "outgoing";
      case 2: return "activity";
      case 3: return "template";
      default: return "unknown";
    }
  }

  private void chatwootConversation(JsonNode n, String event, List<ChatEvent> out) throws InvalidPayloadException {
    String convId = require(Json.text(n, "id"), "chatwoot: conversation id");
    String account = Json.text(n, "account", "id");
    if (account == null) {
      account = Json.text(n, "messages", "0", "account_id");
      JsonNode msgs = n.get("messages");
      if (msgs != null && msgs.isArray() && !msgs.isEmpty()) {
        account = Json.text(msgs.get(0), "account_id");
      }
    }
    String status = Json.text(n, "status");
    ChatEventType type;
    if ("conversation_created".equals(event) || "conversation_opened".equals(event)) {
      type = ChatEventType.SESSION_OPENED;
    } else if ("conversation_resolved".equals(event) || "resolved".equals(status)) {
      type = ChatEventType.SESSION_CLOSED;
    } else if ("open".equals(status)) {
      type = ChatEventType.SESSION_OPENED;
    } else {
      type = ChatEventType.OTHER; // pending, snoozed
    }
    Instant at = Json.instant(n.get("timestamp"));
    if (at == null) {
      at = Json.instant(n.get("updated_at"));
    }
    if (at == null) {
      at = Json.instant(n.get("created_at"));
    }
    requireTime(at, "chatwoot: conversation timestamp");
    String prefix = "chatwoot:" + (account == null ? "" : account + ":");
    EventDraft b = base(SourcePlatform.CHATWOOT,
            prefix + "conv:" + convId + ":" + event + ":" + (status == null ? "" : status) + ":" + at.toEpochMilli(),
            prefix + convId, at)
        .setEventType(type)
        .setSenderRole(SenderRole.SYSTEM)
        .setChannel(chatwootChannel(Json.text(n, "channel")))
        .setContact(chatwootContact(Json.node(n, "meta", "sender")));
    b.getAttributes().put("platform_event", event);
    putIfPresent(b.getAttributes(), "status", status);
    out.add(b.build());
  }

  private static String chatwootChannel(String channel) {
    if (channel == null) {
      return "web";
    }
    switch (channel) {
      case "Channel::Whatsapp": return "whatsapp";
      case "Channel::Email": return "email";
      case "Channel::Sms":
      case "Channel::TwilioSms": return "sms";
      case "Channel::FacebookPage": return "messenger";
      case "Channel::Telegram": return "telegram";
      case "Channel::Api": return "api";
      default: return "web";
    }
  }

  private static Contact chatwootContact(JsonNode sender) {
    if (sender == null) {
      return null;
    }
    return contact(Json.text(sender, "name"), Json.text(sender, "email"), Json.text(sender, "phone_number"), null);
  }

  // ---------------------------------------------------------------- Intercom

  private void intercom(JsonNode n, List<ChatEvent> out) throws InvalidPayloadException {
    String topic = n.get("topic").asText();
    if (!topic.startsWith("conversation.")) {
      return; // ping, contact.*, user.*, company.*, ticket.*: not chat content
    }
    String notifId = require(Json.text(n, "id"), "intercom: notification id");
    JsonNode item = Json.node(n, "data", "item");
    if (item == null) {
      throw new InvalidPayloadException("intercom: data.item missing");
    }
    String convId = require(Json.text(item, "id"), "intercom: conversation id");
    String session = "intercom:" + (Json.text(n, "app_id") == null ? "" : Json.text(n, "app_id") + ":") + convId;
    Contact contact = intercomContact(item);
    switch (topic) {
      case "conversation.user.created": {
        JsonNode msg = Json.node(item, "conversation_message");
        if (msg == null) {
          msg = Json.node(item, "source");
        }
        if (msg == null) {
          throw new InvalidPayloadException("intercom: conversation message missing");
        }
        String text = Html.toText(Json.text(msg, "body"));
        if (text == null || text.isEmpty()) {
          return;
        }
        Instant at = requireTime(Json.instant(item.get("created_at")), "intercom: created_at");
        EventDraft b = base(SourcePlatform.INTERCOM, "intercom:" + notifId, session, at)
            .setSenderId(Json.text(msg, "author", "id"))
            .setText(text)
            .setContact(contact);
        b.getAttributes().put("platform_event", topic);
        putIfPresent(b.getAttributes(), "intercom_message_id", Json.text(msg, "id"));
        out.add(b.build());
        return;
      }
      case "conversation.user.replied":
      case "conversation.admin.replied":
      case "conversation.operator.replied":
      case "conversation.admin.single.created":
        intercomParts(n, item, topic, notifId, session, contact, out);
        return;
      case "conversation.admin.closed":
        out.add(intercomLifecycle(n, item, topic, notifId, session, ChatEventType.SESSION_CLOSED));
        return;
      case "conversation.admin.opened":
        out.add(intercomLifecycle(n, item, topic, notifId, session, ChatEventType.SESSION_OPENED));
        return;
      case "conversation.admin.assigned":
      case "conversation.admin.open.assigned":
        out.add(intercomLifecycle(n, item, topic, notifId, session, ChatEventType.AGENT_JOINED));
        return;
      default:
        return; // admin.noted (private note), admin.snoozed, read, rating, priority...: ignored
    }
  }

  private void intercomParts(JsonNode n, JsonNode item, String topic, String notifId, String session,
      Contact contact, List<ChatEvent> out) throws InvalidPayloadException {
    JsonNode parts = Json.node(item, "conversation_parts", "conversation_parts");
    if (parts == null || !parts.isArray()) {
      throw new InvalidPayloadException("intercom: conversation_parts missing");
    }
    for (JsonNode part : parts) {
      String partType = Json.text(part, "part_type");
      if ("note".equals(partType) || !("comment".equals(partType) || "open".equals(partType)
          || "assign_and_reopen".equals(partType) || "quick_reply".equals(partType))) {
        continue;
      }
      String text = Html.toText(Json.text(part, "body"));
      if (text == null || text.isEmpty()) {
        continue;
      }
      String partId = require(Json.text(part, "id"), "intercom: conversation part id");
      Instant at = requireTime(Json.instant(part.get("created_at")), "intercom: part created_at");
      String authorType = Json.text(part, "author", "type");
      SenderRole role;
      if ("user".equals(authorType) || "lead".equals(authorType) || "contact".equals(authorType)) {
        role = SenderRole.VISITOR;
      } else if ("bot".equals(authorType) || topic.contains("operator")) {
        role = SenderRole.BOT;
      } else {
        role = SenderRole.AGENT;
      }
      EventDraft b = base(SourcePlatform.INTERCOM, "intercom:" + notifId + ":" + partId, session, at)
          .setSenderRole(role)
          .setSenderId(Json.text(part, "author", "id"))
          .setText(text);
      if (role == SenderRole.VISITOR) {
        b.setContact(contact);
      }
      b.getAttributes().put("platform_event", topic);
      out.add(b.build());
    }
  }

  private ChatEvent intercomLifecycle(JsonNode n, JsonNode item, String topic, String notifId, String session,
      ChatEventType type) throws InvalidPayloadException {
    Instant at = Json.instant(item.get("updated_at"));
    if (at == null) {
      at = Json.instant(n.get("created_at"));
    }
    requireTime(at, "intercom: updated_at");
    EventDraft b = base(SourcePlatform.INTERCOM, "intercom:" + notifId, session, at)
        .setEventType(type)
        .setSenderRole(SenderRole.AGENT);
    JsonNode parts = Json.node(item, "conversation_parts", "conversation_parts");
    if (parts != null && parts.isArray() && !parts.isEmpty()) {
      b.setSenderId(Json.text(parts.get(0), "author", "id"));
    }
    b.getAttributes().put("platform_event", topic);
    return b.build();
  }

  private static Contact intercomContact(JsonNode item) {
    JsonNode user = Json.node(item, "user");
    if (user == null) {
      JsonNode contacts = Json.node(item, "contacts", "contacts");
      if (contacts != null && contacts.isArray() && !contacts.isEmpty()) {
        user = contacts.get(0);
      }
    }
    if (user == null) {
      user = Json.node(item, "source", "author");
    }
    if (user == null) {
      return null;
    }
    return contact(Json.text(user, "name"), Json.text(user, "email"), Json.text(user, "phone"), null);
  }

  // ---------------------------------------------------------------- Sunshine Conversations

  private void sunshine(JsonNode n, List<ChatEvent> out) throws InvalidPayloadException {
    String appId = Json.text(n, "app", "id");
    for (JsonNode ev : n.get("events")) {
      String id = require(Json.text(ev, "id"), "sunshine: event id");
      String type = require(Json.text(ev, "type"), "sunshine: event type");
      JsonNode payload = Json.node(ev, "payload");
      String convId = require(payload == null ? null : Json.text(payload, "conversation", "id"),
          "sunshine: conversation id");
      String session = "sunco:" + (appId == null ? "" : appId + ":") + convId;
      Instant created = Json.instant(ev.get("createdAt"));
      switch (type) {
        case "conversation:message": {
          JsonNode msg = Json.node(payload, "message");
          if (msg == null) {
            throw new InvalidPayloadException("sunshine: message missing");
          }
          String text = Json.text(msg, "content", "text");
          String contentType = Json.text(msg, "content", "type");
          if (text == null || text.isBlank() || !( "text".equals(contentType) || contentType == null)) {
            if (text == null || text.isBlank()) {
              continue; // image, file, location... without text
            }
          }
          Instant at = Json.instant(msg.get("received"));
          at = requireTime(at == null ? created : at, "sunshine: received");
          String authorType = Json.text(msg, "author", "type");
          SenderRole role = "user".equals(authorType) ? SenderRole.VISITOR : SenderRole.AGENT;
          JsonNode subtypes = Json.node(msg, "author", "subtypes");
          if (role == SenderRole.AGENT && subtypes != null && subtypes.toString().contains("AI")) {
            role = SenderRole.BOT;
          }
          EventDraft b = base(SourcePlatform.ZENDESK, "sunco:" + id, session, at)
              .setSenderRole(role)
              .setSenderId(Json.text(msg, "author", "userId"))
              .setText(text);
          String source = Json.text(msg, "source", "type");
          if (source != null) {
            b.setChannel(source);
          }
          if (role == SenderRole.VISITOR) {
            JsonNode profile = Json.node(msg, "author", "user", "profile");
            String name = Json.text(msg, "author", "displayName");
            if (profile != null) {
              String given = Json.text(profile, "givenName");
              String sur = Json.text(profile, "surname");
              if (given != null || sur != null) {
                name = ((given == null ? "" : given) + " " + (sur == null ? "" : sur)).trim();
              }
              b.setContact(contact(name, Json.text(profile, "email"), null, null));
            }
            String locale = profile == null ? null : Json.text(profile, "locale");
            if (locale != null) {
              b.setLocale(locale);
            }
          }
          b.getAttributes().put("platform_event", type);
          putIfPresent(b.getAttributes(), "sunco_message_id", Json.text(msg, "id"));
          out.add(b.build());
          break;
        }
        case "conversation:create":
        case "conversation:remove":
        case "switchboard:passControl":
        case "switchboard:acceptControl": {
          ChatEventType t = "conversation:create".equals(type) ? ChatEventType.SESSION_OPENED
              : "conversation:remove".equals(type) ? ChatEventType.SESSION_CLOSED
              : ChatEventType.HANDOFF_ACCEPTED;
          EventDraft b = base(SourcePlatform.ZENDESK, "sunco:" + id, session,
                  requireTime(created, "sunshine: createdAt"))
              .setEventType(t)
              .setSenderRole(SenderRole.SYSTEM);
          b.getAttributes().put("platform_event", type);
          out.add(b.build());
          break;
        }
        default:
          // typing, read, postback, delivery receipts, join/leave: ignored
          break;
      }
    }
  }

  // ---------------------------------------------------------------- Twilio

  private void twilio(JsonNode n, List<ChatEvent> out) throws InvalidPayloadException {
    String type = n.get("type").asText();
    String id = require(Json.text(n, "id"), "twilio: CloudEvent id");
    JsonNode data = Json.node(n, "data");
    if (data == null) {
      throw new InvalidPayloadException("twilio: data missing");
    }
    String conv = Json.text(data, "ConversationSid");
    switch (type) {
      case "com.twilio.conversations.message.added": {
        require(conv, "twilio: ConversationSid");
        String body = Json.text(data, "MessageBody");
        if (body == null || body.isBlank()) {
          return; // media-only message
        }
        Instant at = requireTime(Json.instant(data.get("DateCreated")), "twilio: DateCreated");
        String author = Json.text(data, "Author");
        SenderRole role = "system".equals(author) ? SenderRole.SYSTEM : SenderRole.VISITOR;
        EventDraft b = base(SourcePlatform.TWILIO, "twilio:" + id,
                "twilio:" + conv, at)
            .setSenderRole(role)
            .setSenderId(author)
            .setText(body)
            .setChannel(twilioChannel(author));
        if (role == SenderRole.VISITOR && author != null) {
          String addr = author.contains(":") ? author.substring(author.indexOf(':') + 1) : author;
          if (addr.startsWith("+")) {
            b.setContact(contact(null, null, addr, null));
          }
        }
        b.getAttributes().put("platform_event", type);
        putIfPresent(b.getAttributes(), "message_sid", Json.text(data, "MessageSid"));
        putIfPresent(b.getAttributes(), "participant_sid", Json.text(data, "ParticipantSid"));
        out.add(b.build());
        return;
      }
      case "com.twilio.conversations.conversation.added":
      case "com.twilio.conversations.conversation.removed":
      case "com.twilio.conversations.conversation-state.updated": {
        require(conv, "twilio: ConversationSid");
        ChatEventType t;
        if (type.endsWith("conversation.added")) {
          t = ChatEventType.SESSION_OPENED;
        } else if (type.endsWith("removed")) {
          t = ChatEventType.SESSION_CLOSED;
        } else {
          String to = Json.text(data, "StateTo");
          if (to == null) {
            to = Json.text(data, "State");
          }
          t = "closed".equals(to) ? ChatEventType.SESSION_CLOSED
              : "active".equals(to) ? ChatEventType.SESSION_OPENED : ChatEventType.OTHER;
        }
        Instant at = Json.instant(data.get("DateUpdated"));
        if (at == null) {
          at = Json.instant(data.get("DateCreated"));
        }
        if (at == null) {
          at = Json.instant(n.get("time"));
        }
        EventDraft b = base(SourcePlatform.TWILIO, "twilio:" + id, "twilio:" + conv,
                requireTime(at, "twilio: DateCreated"))
            .setEventType(t)
            .setSenderRole(SenderRole.SYSTEM);
        b.getAttributes().put("platform_event", type);
        out.add(b.build());
        return;
      }
      default:
        return; // participant, user, delivery receipts, other products: ignored
    }
  }

  private static String twilioChannel(String author) {
    if (author == null) {
      return "chat";
    }
    if (author.startsWith("whatsapp:")) {
      return "whatsapp";
    }
    if (author.startsWith("messenger:")) {
      return "messenger";
    }
    if (author.startsWith("+")) {
      return "sms";
    }
    return "chat";
  }

  // ---------------------------------------------------------------- Rasa

  private void rasa(JsonNode n, List<ChatEvent> out) throws InvalidPayloadException {
    String event = n.get("event").asText();
    String sender = require(Json.text(n, "sender_id"), "rasa: sender_id");
    Instant at = requireTime(Json.instant(n.get("timestamp")), "rasa: timestamp");
    String messageId = Json.text(n, "message_id");
    String eventId = "rasa:" + sender + ":" + event + ":"
        + (messageId != null ? messageId : Long.toString(at.toEpochMilli()));
    switch (event) {
      case "user":
      case "bot": {
        String text = Json.text(n, "text");
        if (text == null || text.isBlank()) {
          return; // buttons/attachments only
        }
        EventDraft b = base(SourcePlatform.RASA, eventId, "rasa:" + sender, at)
            .setSenderRole("user".equals(event) ? SenderRole.VISITOR : SenderRole.BOT)
            .setSenderId("user".equals(event) ? sender : null)
            .setText(text);
        String channel = Json.text(n, "input_channel");
        if (channel != null) {
          b.setChannel(channel);
        }
        b.getAttributes().put("platform_event", event);
        String intent = Json.text(n, "parse_data", "intent", "name");
        putIfPresent(b.getAttributes(), "rasa_intent", intent);
        String lang = Json.text(n, "metadata", "language");
        if (lang != null) {
          b.setLocale(lang);
        }
        out.add(b.build());
        return;
      }
      case "session_started": {
        EventDraft b = base(SourcePlatform.RASA, eventId, "rasa:" + sender, at)
            .setEventType(ChatEventType.SESSION_OPENED)
            .setSenderRole(SenderRole.SYSTEM);
        b.getAttributes().put("platform_event", event);
        out.add(b.build());
        return;
      }
      default:
        return; // action, slot, restart, followup...: bot internals
    }
  }

  // ---------------------------------------------------------------- native JSON

  private void nativeEvent(JsonNode n, List<ChatEvent> out) throws InvalidPayloadException {
    Instant at = requireTime(Json.instant(n.get("sent_at")), "sent_at");
    EventDraft b = base(SourcePlatform.NATIVE, require(Json.text(n, "event_id"), "event_id"),
        require(Json.text(n, "session_id"), "session_id"), at);
    try {
      String tenant = Json.text(n, "tenant_id");
      if (tenant != null) {
        b.setTenantId(tenant);
      }
      String channel = Json.text(n, "channel");
      if (channel != null) {
        b.setChannel(channel);
      }
      String sp = Json.text(n, "source_platform");
      if (sp != null) {
        b.setSourcePlatform(dev.leadqual.schema.SourcePlatform.valueOf(sp));
      }
      String et = Json.text(n, "event_type");
      if (et != null) {
        b.setEventType(ChatEventType.valueOf(et));
      }
      String sr = Json.text(n, "sender_role");
      if (sr != null) {
        b.setSenderRole(SenderRole.valueOf(sr));
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidPayloadException("unknown enum symbol");
    }
    b.setSenderId(Json.text(n, "sender_id"));
    JsonNode text = n.get("text");
    b.setText(text == null || text.isNull() ? null : text.asText());
    b.setLocale(Json.text(n, "locale"));
    b.setTraceId(Json.text(n, "trace_id"));
    JsonNode attrs = Json.node(n, "attributes");
    if (attrs != null && attrs.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = attrs.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        b.getAttributes().put(e.getKey(), e.getValue().asText());
      }
    }
    JsonNode c = Json.node(n, "contact");
    if (c != null) {
      b.setContact(contact(Json.text(c, "name"), Json.text(c, "email"), Json.text(c, "phone"), Json.text(c, "title")));
    }
    out.add(b.build());
  }

  // ---------------------------------------------------------------- helpers

  private static void putIfPresent(Map<String, String> m, String k, String v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  static Contact contact(String name, String email, String phone, String title) {
    if (name == null && email == null && phone == null && title == null) {
      return null;
    }
    return new Contact(name, email == null ? null : email.trim().toLowerCase(), e164(phone), title);
  }

  /** E.164 when the number parses (international form, or US as the last resort), else as given. */
  static String e164(String phone) {
    if (phone == null || phone.isBlank()) {
      return null;
    }
    try {
      Phonenumber.PhoneNumber p = PHONES.parse(phone, phone.trim().startsWith("+") ? "ZZ" : "US");
      if (PHONES.isPossibleNumber(p)) {
        return PHONES.format(p, PhoneNumberUtil.PhoneNumberFormat.E164);
      }
    } catch (NumberParseException e) {
      // keep as given
    }
    return phone.trim();
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
