package dev.leadqual.udfs.qualify;

import static dev.leadqual.udfs.qualify.Fixtures.event;
import static dev.leadqual.udfs.qualify.Fixtures.memory;
import static dev.leadqual.udfs.qualify.Fixtures.u;
import static dev.leadqual.udfs.qualify.Fixtures.visitor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.Contact;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.SlotMemory;
import java.io.ByteArrayOutputStream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SessionMemoriesTest {
  final Policy p = Policy.defaults();

  @Test
  void freshMemoryTakesTenantOpenTimeAndLocaleButCountsNothing() {
    ChatEvent first = ChatEvent.newBuilder(visitor("e1", 5, "Hola")).setTenantId("acme").setLocale("es-MX").setTraceId("tr-1").build();
    SessionMemory m = SessionMemories.fresh(first);
    assertThat(m.getTenantId()).isEqualTo("acme");
    assertThat(m.getOpenedAt()).isEqualTo(Fixtures.T0.plusSeconds(5).toEpochMilli());
    assertThat(m.getLanguage()).isEqualTo("es");
    assertThat(m.getTraceId()).isEqualTo("tr-1");
    assertThat(m.getVisitorTurns()).isZero();
    assertThat(m.getLastAction()).isEqualTo(ActionType.NONE);
  }

  @Test
  void countsTurnsByRoleAndNoticesTheAgent() {
    SessionMemory m = memory();
    SessionMemories.remember(m, visitor("e1", 1, "hi"), u("other").build(), p);
    SessionMemories.remember(m, event("e2", 2, SenderRole.BOT, ChatEventType.MESSAGE, "Hello!"), null, p);
    assertThat(m.getAgentActive()).isFalse();
    SessionMemories.remember(m, event("e3", 3, SenderRole.SYSTEM, ChatEventType.AGENT_JOINED, null), null, p);
    assertThat(m.getAgentActive()).isTrue();
    SessionMemories.remember(m, event("e4", 4, SenderRole.AGENT, ChatEventType.MESSAGE, "Hi, I'm Ana"), null, p);
    SessionMemories.remember(m, visitor("e5", 5, "hello Ana"), u("other").build(), p);
    assertThat(m.getVisitorTurns()).isEqualTo(2);
    assertThat(m.getBotTurns()).isEqualTo(1);
    assertThat(m.getAgentTurns()).isEqualTo(1);
    assertThat(m.getSystemEvents()).isEqualTo(1);
    assertThat(m.getLastEventAt()).isEqualTo(Fixtures.T0.plusSeconds(5).toEpochMilli());
    assertThat(m.getPolicyVersion()).isEqualTo(p.version());

    SessionMemory agentOnly = memory();
    SessionMemories.remember(agentOnly, event("a1", 1, SenderRole.AGENT, ChatEventType.MESSAGE, "Hi"), null, p);
    assertThat(agentOnly.getAgentActive()).isTrue();
  }

  @Test
  void tracksCategoriesDistinctIntentsStrengthSentimentUrgencyAndLanguage() {
    SessionMemory m = memory();
    SessionMemories.remember(m, visitor("e1", 1, "pricing?"), u("sales").intent("pricing").conf(0.8).sentiment(0.5).lang("de").build(), p);
    SessionMemories.remember(m, visitor("e2", 2, "pricing!"), u("sales").intent("pricing").conf(0.6).sentiment(-0.5).urgency("high").build(), p);
    SessionMemories.remember(m, visitor("e3", 3, "bug"), u("support").intent("bug").conf(0.99).urgency("medium").human().build(), p);
    assertThat(m.getCategoryCounts()).containsEntry("sales", 2).containsEntry("support", 1);
    assertThat(m.getIntentsSeen()).containsExactly("pricing", "bug");
    assertThat(m.getLastIntent()).isEqualTo("bug");
    assertThat(m.getIntentStrength()).as("strongest sales intent, support confidence ignored").isEqualTo(0.8);
    // EMA: 0.5 -> 0.4*-0.5 + 0.6*0.5 = 0.1 -> 0.4*0 + 0.6*0.1 = 0.06
    assertThat(m.getSentimentTrend()).isEqualTo(0.06);
    assertThat(m.getUrgency()).as("max urgency kept").isEqualTo("high");
    assertThat(m.getWantsHuman()).isTrue();
    assertThat(m.getLanguage()).isEqualTo("en");
    assertThat(SessionMemories.dominantCategory(m)).isEqualTo("sales");
  }

  @Test
  void unsureLanguageDoesNotSwitchTheVisitorsLanguage() {
    SessionMemory m = memory();
    SessionMemories.remember(m, visitor("e1", 1, "Hola"), u("other").lang("es").build(), p);
    SessionMemories.remember(m, visitor("e2", 2, "ok"), new dev.leadqual.udfs.understand.Understanding(
        "other", "ack", 0.5, "en", 0.2, 0, "low", false, false, null), p);
    assertThat(m.getLanguage()).isEqualTo("es");
  }

  @Test
  void slotsCarryProvenanceAndRedactedTruncatedQuotes() {
    SessionMemory m = memory();
    String text = "Our budget is around 100k EUR per year, write to me at maria.lopez@acme.example or call +34 612 345 678 "
        + "because I'm travelling a lot these weeks and rarely at my desk";
    SessionMemories.remember(m, visitor("e7", 7, text), u("sales")
        .slot("budget", "100000 EUR/year", "around 100k EUR per year", 0.85)
        .slot("email", "maria.lopez@acme.example", "maria.lopez@acme.example", 0.99).build(), p);
    SlotMemory budget = m.getSlots().get("budget");
    assertThat(budget.getValue()).isEqualTo("100000 EUR/year");
    assertThat(budget.getConfidence()).isEqualTo(0.85);
    assertThat(budget.getEventId()).isEqualTo("e7");
    assertThat(budget.getAt()).isEqualTo(Fixtures.T0.plusSeconds(7).toEpochMilli());
    assertThat(budget.getQuote()).hasSizeLessThanOrEqualTo(80).contains("around 100k EUR per year");
    SlotMemory email = m.getSlots().get("email");
    assertThat(email.getValue()).as("the lead needs the address").isEqualTo("maria.lopez@acme.example");
    assertThat(email.getQuote()).hasSizeLessThanOrEqualTo(80).doesNotContain("maria.lopez").doesNotContain("612");
  }

  @Test
  void newValueSupersedesOnlyWithAtLeastTheSameConfidenceAndHistoryIsBounded() {
    SessionMemory m = memory();
    SessionMemories.remember(m, visitor("e1", 1, "50 people"), u("sales").slot("company_size", "50", "50 people", 0.8).build(), p);
    SessionMemories.remember(m, visitor("e2", 2, "maybe 60"), u("sales").slot("company_size", "60", "maybe 60", 0.5).build(), p);
    assertThat(m.getSlots().get("company_size").getValue()).as("less confident value ignored").isEqualTo("50");
    assertThat(m.getSlots().get("company_size").getSuperseded()).isEmpty();

    SessionMemories.remember(m, visitor("e3", 3, "actually 70"), u("sales").slot("company_size", "70", "70", 0.8).build(), p);
    SlotMemory s = m.getSlots().get("company_size");
    assertThat(s.getValue()).isEqualTo("70");
    assertThat(s.getEventId()).isEqualTo("e3");
    assertThat(s.getSuperseded()).containsExactly("50");

    for (int i = 0; i < 5; i++) {
      SessionMemories.remember(m, visitor("f" + i, 10 + i, "now " + (100 + i)),
          u("sales").slot("company_size", Integer.toString(100 + i), "x", 0.9).build(), p);
    }
    assertThat(m.getSlots().get("company_size").getValue()).isEqualTo("104");
    assertThat(m.getSlots().get("company_size").getSuperseded()).as("oldest dropped").containsExactly("101", "102", "103");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Not sure yet", "I don't know", "I'd prefer not to say", "no idea, sorry",
      "No estoy seguro", "no lo sé todavía", "Prefiero no decirlo",
      "Weiß ich nicht", "Das möchte ich nicht sagen", "keine Ahnung",
      "Je ne sais pas", "je préfère ne pas le dire", "pas sûr",
      "Não sei", "Prefiro não dizer", "não tenho certeza"})
  void declineOfTheOpenQuestionIsRememberedInEveryLanguage(String text) {
    SessionMemory m = memory();
    SessionMemories.remember(m, visitor("e1", 1, "we want a quote"), u("sales").build(), p);
    m.setAskedSlot("budget");
    SessionMemories.remember(m, visitor("e2", 2, text), u("other").build(), p);
    assertThat(m.getDeclinedSlots()).containsExactly("budget");
    assertThat(m.getAskedSlot()).isNull();
  }

  @Test
  void notADeclineWithoutAnOpenQuestionOrWhenTheAnswerIsGiven() {
    SessionMemory m = memory();
    SessionMemories.remember(m, visitor("e1", 1, "I don't know your product yet"), u("sales").build(), p);
    assertThat(m.getDeclinedSlots()).isEmpty();

    m.setAskedSlot("budget");
    SessionMemories.remember(m, visitor("e2", 2, "not sure, maybe 20k"), u("sales").slot("budget", "20000 EUR/total", "20k", 0.7).build(), p);
    assertThat(m.getDeclinedSlots()).isEmpty();
    assertThat(m.getAskedSlot()).as("answered").isNull();

    m.setAskedSlot("timeline");
    SessionMemories.remember(m, visitor("e3", 3, "Can you tell me more about the integrations with Salesforce and HubSpot, "
        + "I don't know if you support custom objects and workflows there"), u("presales").build(), p);
    assertThat(m.getDeclinedSlots()).as("a long question is not a refusal").isEmpty();
    assertThat(SessionMemories.isDecline("the password is passé")).isFalse();
  }

  @Test
  void aLaterAnswerUndoesADecline() {
    SessionMemory m = memory();
    m.setAskedSlot("contact");
    SessionMemories.remember(m, visitor("e1", 1, "prefer not to say"), u("other").build(), p);
    assertThat(m.getDeclinedSlots()).containsExactly("contact");
    SessionMemories.remember(m, visitor("e2", 2, "ok it's 555 123 4567"), u("sales").slot("phone", "+15551234567", "555 123 4567", 0.9).build(), p);
    assertThat(m.getDeclinedSlots()).isEmpty();
    assertThat(SlotFilling.isFilled(m, "contact", p)).isTrue();
  }

  @Test
  void lateEventCountsAndFillsEmptySlotsButNeverOverwritesNewerValues() {
    SessionMemory m = memory();
    SessionMemories.remember(m, visitor("e5", 50, "we're 200 now, in German please"),
        u("sales").lang("de").slot("company_size", "200", "200", 0.8).build(), p);
    long newest = m.getLastEventAt();
    ChatEvent late = visitor("e2", 20, "we are 150 people, budget 40k");
    SessionMemories.remember(m, late, u("sales").lang("fr").intent("older").slot("company_size", "150", "150", 0.95)
        .slot("budget", "40000 EUR/total", "budget 40k", 0.8).build(), p);
    assertThat(m.getVisitorTurns()).isEqualTo(2);
    assertThat(m.getLastEventAt()).isEqualTo(newest);
    assertThat(m.getSlots().get("company_size").getValue()).isEqualTo("200");
    assertThat(m.getSlots().get("budget").getValue()).isEqualTo("40000 EUR/total");
    assertThat(m.getLanguage()).isEqualTo("de");
    assertThat(m.getLastIntent()).isNotEqualTo("older");
    assertThat(m.getIntentsSeen()).contains("older");
  }

  @Test
  void platformContactFillsContactWithoutAsking() {
    SessionMemory m = memory();
    ChatEvent e = ChatEvent.newBuilder(visitor("e1", 1, "hi")).setContact(
        Contact.newBuilder().setEmail("joe@acme.example").build()).build();
    SessionMemories.remember(m, e, u("other").build(), p);
    assertThat(SlotFilling.isFilled(m, "contact", p)).isTrue();
    assertThat(m.getSlots().get("email").getQuote()).doesNotContain("joe@");
  }

  @Test
  void listsStayBoundedAndTheMemoryCompact() throws Exception {
    SessionMemory m = memory();
    for (int i = 0; i < 40; i++) {
      SessionMemories.remember(m, visitor("e" + i, i + 1, "message " + i + " ".repeat(10) + "x".repeat(200)),
          u("sales").intent("intent_" + i).slot("need", "product_" + i, "x", 0.9).build(), p);
      SessionMemories.record(m, new Decision(i % 2 == 0 ? ActionType.NURTURE : ActionType.NONE, "r", null, null, false, null), null, i);
    }
    assertThat(m.getIntentsSeen()).hasSize(SessionMemories.MAX_INTENTS).endsWith("intent_39").doesNotContain("intent_0");
    assertThat(m.getActions()).hasSize(SessionMemories.MAX_ACTIONS);
    assertThat(m.getSlots().get("need").getSuperseded()).hasSize(SessionMemories.MAX_SUPERSEDED).endsWith("product_38");
    assertThat(m.getSlots().get("need").getQuote()).hasSizeLessThanOrEqualTo(SessionMemories.MAX_QUOTE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(SessionMemory.class).write(m, enc);
    enc.flush();
    assertThat(out.size()).as("serialised memory bytes").isLessThan(2048);
  }

  @Test
  void recordEmitsOnlyChangesAndTracksTheOpenQuestion() {
    SessionMemory m = memory();
    Decision askBudget = new Decision(ActionType.ASK_SLOT, "ask_next_slot", "budget", "?", false, null);
    assertThat(SessionMemories.record(m, askBudget, new Score(12, null), 1000)).isTrue();
    assertThat(m.getAskedSlot()).isEqualTo("budget");
    assertThat(m.getQuestionsAsked()).isEqualTo(1);
    assertThat(m.getScore()).isEqualTo(12);
    assertThat(SessionMemories.record(m, askBudget, new Score(15, null), 2000)).as("same question").isFalse();
    assertThat(m.getScore()).isEqualTo(15);
    assertThat(SessionMemories.record(m, new Decision(ActionType.ASK_SLOT, "ask_next_slot", "need", "?", false, null), null, 3000)).isTrue();
    assertThat(m.getQuestionsAsked()).isEqualTo(2);
    Decision handoff = new Decision(ActionType.HANDOFF_TO_SALES, "qualified_handoff", null, null, false, "sales");
    assertThat(SessionMemories.record(m, handoff, null, 4000)).isTrue();
    assertThat(SessionMemories.record(m, handoff, null, 5000)).isFalse();
    assertThat(m.getHandoffAt()).isEqualTo(4000L);
    assertThat(m.getAskedSlot()).isNull();
    assertThat(m.getActions()).containsExactly(ActionType.ASK_SLOT, ActionType.ASK_SLOT, ActionType.HANDOFF_TO_SALES);
  }

  /** Quotes are single-spaced without a regex per message: the same text as the regex gives, whatever the whitespace. */
  @Test
  void singleSpacingIsWhatTheWhitespaceRegexGives() {
    java.util.Random random = new java.util.Random(11);
    char[] alphabet = {'a', 'B', ' ', ' ', '\t', '\n', '\r', '\f', '\u000B', '\u00A0', '\u2028', '\u3000', 'é', '.', '7'};
    java.util.regex.Pattern whitespace = java.util.regex.Pattern.compile("\\s+");
    for (int n = 0; n < 20_000; n++) {
      char[] c = new char[random.nextInt(12)];
      for (int i = 0; i < c.length; i++) {
        c[i] = alphabet[random.nextInt(alphabet.length)];
      }
      String text = new String(c);
      assertThat(SessionMemories.singleSpaced(text)).as("[%s]", text).isEqualTo(whitespace.matcher(text.strip()).replaceAll(" "));
    }
    assertThat(SessionMemories.singleSpaced(null)).isEmpty();
  }
}
