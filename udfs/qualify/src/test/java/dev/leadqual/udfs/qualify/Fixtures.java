package dev.leadqual.udfs.qualify;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.udfs.understand.Slot;
import dev.leadqual.udfs.understand.Understanding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Hand-built events, understandings and accounts; nothing here depends on the model. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  private Fixtures() {}

  static ChatEvent visitor(String id, int second, String text) {
    return event(id, second, SenderRole.VISITOR, ChatEventType.MESSAGE, text);
  }

  static ChatEvent event(String id, int second, SenderRole role, ChatEventType type, String text) {
    return ChatEvent.newBuilder()
        .setEventId(id)
        .setSessionId("s-1")
        .setTenantId("default")
        .setSenderRole(role)
        .setEventType(type)
        .setText(text)
        .setSentAt(T0.plusSeconds(second))
        .build();
  }

  static SessionMemory memory() {
    return SessionMemories.fresh(visitor("e0", 0, "hi"));
  }

  static Slot slot(String name, String value, String text, double confidence) {
    return new Slot(name, value, text, 0, text.length(), confidence);
  }

  static U u(String category) {
    return new U(category);
  }

  static CrmAccount account() {
    return CrmAccount.newBuilder().setAccountId("acc-1").setName("Acme GmbH").setUpdatedAt(T0).build();
  }

  /** Understanding builder with neutral defaults. */
  static final class U {
    String category;
    String intent = "chat";
    double confidence = 0.9;
    String language = "en";
    double sentiment = 0.0;
    String urgency = "low";
    boolean wantsHuman;
    boolean wantsSales;
    final List<Slot> slots = new ArrayList<>();

    U(String category) {
      this.category = category;
    }

    U intent(String i) {
      intent = i;
      return this;
    }

    U conf(double c) {
      confidence = c;
      return this;
    }

    U lang(String l) {
      language = l;
      return this;
    }

    U sentiment(double s) {
      sentiment = s;
      return this;
    }

    U urgency(String s) {
      urgency = s;
      return this;
    }

    U human() {
      wantsHuman = true;
      return this;
    }

    U sales() {
      wantsSales = true;
      return this;
    }

    U slot(String name, String value, String text) {
      return slot(name, value, text, 0.9);
    }

    U slot(String name, String value, String text, double conf) {
      slots.add(Fixtures.slot(name, value, text, conf));
      return this;
    }

    Understanding build() {
      return new Understanding(category, intent, confidence, language, 0.95, sentiment, urgency, wantsHuman, wantsSales, slots);
    }
  }
}
