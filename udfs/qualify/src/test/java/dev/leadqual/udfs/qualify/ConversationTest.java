package dev.leadqual.udfs.qualify;

import static dev.leadqual.udfs.qualify.Fixtures.u;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.schema.ActionType;
import org.junit.jupiter.api.Test;

/** Whole BANT conversations, message by message, with hand-built understandings. */
class ConversationTest {
  final Policy p = Policy.defaults();

  @Test
  void englishBantConversationEndsInAHandoffWithAReadableSummary() {
    Conversation c = new Conversation(p);
    c.visitor("Hi, we're looking at your CRM for our sales team. What does it cost?",
        u("sales").intent("pricing").conf(0.9).sentiment(0.3).build());
    c.visitor("Around 50-80k EUR a year", u("sales").sentiment(0.3)
        .slot("budget", "50000-80000 EUR/year", "50-80k EUR a year").build());
    c.visitor("I'm the Head of Sales, I sign off on this", u("other").sentiment(0.3)
        .slot("authority", "decision_maker", "I sign off on this").build());
    c.visitor("We need a CRM with pipeline forecasting for our 40 reps", u("sales").sentiment(0.3)
        .slot("need", "crm_forecasting", "CRM with pipeline forecasting").build());
    c.visitor("This quarter ideally, our current tool's contract ends in June", u("sales").sentiment(0.3).urgency("medium")
        .slot("timeline", "this_quarter", "This quarter").build());
    c.visitor("We're Acme Ltd, about 200 people", u("other").sentiment(0.3)
        .slot("company", "Acme Ltd", "Acme Ltd").slot("company_size", "200", "about 200 people").build());
    Decision last = c.visitor("Sure: maria.lopez@acme.example or +44 20 7946 0958", u("other").sentiment(0.4)
        .slot("email", "maria.lopez@acme.example", "maria.lopez@acme.example", 0.99)
        .slot("phone", "+442079460958", "+44 20 7946 0958", 0.95).build());

    assertThat(c.emitted).containsExactly("ASK_SLOT:budget", "ASK_SLOT:authority", "ASK_SLOT:need",
        "ASK_SLOT:timeline", "ASK_SLOT:company_size", "ASK_SLOT:contact", "HANDOFF_TO_SALES");
    assertThat(c.emittedDecisions.get(0).message()).isEqualTo("Do you have a budget range in mind for this project?");
    assertThat(last.rule()).isEqualTo("qualified_handoff");
    assertThat(c.score.total()).isGreaterThanOrEqualTo(p.thresholds().handoff());
    assertThat(c.score.total()).isEqualTo((int) Math.round(c.score.rawTotal()));
    assertThat(HandoffSummary.isQualified(c.m, c.score, p)).isTrue();

    String summary = c.summary();
    assertThat(summary).contains("Who: Decision maker · Acme Ltd · 200 employees", "Need: crm_forecasting",
        "Budget: 50000-80000 EUR/year", "Timeline: this_quarter", "Score: " + c.score.total() + "/100", "slots +35.0", "Quotes: ");
    assertThat(summary).doesNotContain("maria", "@", "7946", "+44");
    assertThat(summary.lines().count()).as("readable in ten seconds").isLessThanOrEqualTo(7);
    assertThat(HandoffSummary.keyQuotes(c.m, c.tail)).hasSize(2).allSatisfy(q -> assertThat(q).hasSizeLessThanOrEqualTo(80));

    // Further messages after the handoff do not emit anything new.
    c.visitor("Thanks!", u("other").sentiment(0.8).build());
    assertThat(c.emitted).hasSize(7);
  }

  @Test
  void spanishConversationAcceptsADeclineAndStillQualifies() {
    Conversation c = new Conversation(p);
    Decision first = c.visitor("Hola, queremos un CRM para nuestro equipo comercial, ¿cuánto cuesta?",
        u("sales").lang("es").intent("pricing").conf(0.9).sentiment(0.4).build());
    assertThat(first.message()).isEqualTo(p.questionTemplate("budget", "es").orElseThrow());
    c.visitor("Prefiero no decirlo todavía", u("other").lang("es").sentiment(0.0).build());
    c.visitor("Sí, yo tomo la decisión", u("other").lang("es").sentiment(0.4)
        .slot("authority", "decision_maker", "yo tomo la decisión").build());
    c.visitor("Necesitamos automatizar el seguimiento de clientes", u("sales").lang("es").sentiment(0.4)
        .slot("need", "crm_automation", "automatizar el seguimiento").build());
    c.visitor("Lo antes posible, este trimestre", u("sales").lang("es").sentiment(0.4).urgency("high")
        .slot("timeline", "this_quarter", "este trimestre").build());
    c.visitor("Somos unas 80 personas", u("other").lang("es").sentiment(0.4)
        .slot("company_size", "80", "unas 80 personas").build());
    c.visitor("Mi correo es juan.perez@empresa.example", u("other").lang("es").sentiment(0.4)
        .slot("email", "juan.perez@empresa.example", "juan.perez@empresa.example", 0.99).build());

    assertThat(c.emitted).containsExactly("ASK_SLOT:budget", "ASK_SLOT:authority", "ASK_SLOT:need",
        "ASK_SLOT:timeline", "ASK_SLOT:company_size", "ASK_SLOT:contact", "HANDOFF_TO_SALES");
    assertThat(c.m.getDeclinedSlots()).containsExactly("budget");
    assertThat(c.emittedDecisions).filteredOn(d -> d.action() == ActionType.ASK_SLOT)
        .allSatisfy(d -> assertThat(d.message()).startsWith("¿"));
    assertThat(c.emittedDecisions.get(6).message()).contains("ventas");
    String summary = c.summary();
    assertThat(summary).contains("Budget: declined to say", "Need: crm_automation", "80 employees", "Language: es");
    assertThat(summary).doesNotContain("juan", "@");
  }

  @Test
  void germanConversationWithAnAgentJoiningGetsSuggestionsForTheAgent() {
    Conversation c = new Conversation(p);
    c.visitor("Guten Tag, wir sind 350 Mitarbeitende und suchen ein CRM für den Vertrieb",
        u("sales").lang("de").intent("product_interest").conf(0.85).sentiment(0.2)
            .slot("company_size", "350", "350 Mitarbeitende").slot("need", "crm", "ein CRM für den Vertrieb").build());
    c.visitor("Etwa 100.000 EUR pro Jahr", u("sales").lang("de").sentiment(0.2)
        .slot("budget", "100000 EUR/year", "100.000 EUR pro Jahr").build());
    c.agentJoins();
    Decision suggestion = c.visitor("Ich bin Geschäftsführer", u("other").lang("de").sentiment(0.2)
        .slot("authority", "decision_maker", "Geschäftsführer").build());
    assertThat(suggestion.action()).isEqualTo(ActionType.ASK_SLOT);
    assertThat(suggestion.toAgent()).isTrue();
    assertThat(suggestion.message()).isEqualTo(p.questionTemplate("timeline", "de").orElseThrow());
    c.visitor("Bis Ende nächsten Monats", u("sales").lang("de").sentiment(0.3).urgency("medium")
        .slot("timeline", "now", "Ende nächsten Monats").build());
    Decision handoff = c.visitor("Telefon: 030 1234567", u("other").lang("de").sentiment(0.3)
        .slot("phone", "+49301234567", "030 1234567", 0.95).build());

    assertThat(c.emitted).containsExactly("ASK_SLOT:budget", "ASK_SLOT:authority", "ASK_SLOT:timeline",
        "ASK_SLOT:contact", "HANDOFF_TO_SALES");
    assertThat(handoff.toAgent()).isTrue();
    assertThat(c.emittedDecisions.get(0).message()).contains("Budgetrahmen");
    String summary = c.summary();
    assertThat(summary).contains("Decision maker", "350 employees", "Budget: 100000 EUR/year", "Timeline: now");
    assertThat(summary).doesNotContain("1234567");
  }

  @Test
  void supportConversationOfAnExistingCustomerNeverBecomesALead() {
    Conversation c = new Conversation(p);
    c.account = dev.leadqual.schema.CrmAccount.newBuilder(Fixtures.account()).setExistingCustomer(true).setEmployees(400).build();
    c.visitor("Our invoices page is broken since this morning", u("support").intent("bug").urgency("medium").sentiment(-0.3).build());
    c.visitor("We have 400 users blocked, we pay 90k a year!", u("support").intent("bug").sentiment(-0.4)
        .slot("budget", "90000 EUR/year", "90k a year").build());
    assertThat(c.emitted).containsExactly("SUPPORT_ONLY");
    assertThat(HandoffSummary.isQualified(c.m, c.score, p)).isFalse();
  }
}
