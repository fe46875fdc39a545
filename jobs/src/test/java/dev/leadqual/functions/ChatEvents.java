package dev.leadqual.functions;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.SenderRole;
import java.time.Instant;

/** Test fixtures: named instants and chat-event factories. */
public final class ChatEvents {

    public static final Instant T0 = Instant.parse("2026-03-10T09:00:00Z");

    private ChatEvents() {}

    public static ChatEvent visitor(String session, String eventId, int secondsAfterT0, String text) {
        return message(session, eventId, secondsAfterT0, SenderRole.VISITOR, text);
    }

    public static ChatEvent agent(String session, String eventId, int secondsAfterT0, String text) {
        return message(session, eventId, secondsAfterT0, SenderRole.AGENT, text);
    }

    public static ChatEvent message(String session, String eventId, int secondsAfterT0, SenderRole role, String text) {
        return ChatEvent.newBuilder()
                .setEventId(eventId)
                .setSessionId(session)
                .setTenantId("acme")
                .setSenderRole(role)
                .setText(text)
                .setSentAt(T0.plusSeconds(secondsAfterT0))
                .setLocale(null)
                .setTraceId("trace-" + eventId)
                .build();
    }

    public static ChatEvent lifecycle(String session, String eventId, int secondsAfterT0, ChatEventType type) {
        return ChatEvent.newBuilder()
                .setEventId(eventId)
                .setSessionId(session)
                .setTenantId("acme")
                .setEventType(type)
                .setSenderRole(SenderRole.SYSTEM)
                .setText(null)
                .setSentAt(T0.plusSeconds(secondsAfterT0))
                .build();
    }

    public static long at(int secondsAfterT0) {
        return T0.plusSeconds(secondsAfterT0).toEpochMilli();
    }
}
