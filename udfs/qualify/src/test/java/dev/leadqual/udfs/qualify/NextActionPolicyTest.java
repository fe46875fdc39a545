package dev.leadqual.udfs.qualify;

import static dev.leadqual.udfs.qualify.Fixtures.account;
import static dev.leadqual.udfs.qualify.Fixtures.memory;
import static dev.leadqual.udfs.qualify.Fixtures.u;
import static dev.leadqual.udfs.qualify.Fixtures.visitor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.udfs.understand.Understanding;
import org.junit.jupiter.api.Test;

class NextActionPolicyTest {
  final Policy p = Policy.defaults();
  int t = 1;

  private Decision say(SessionMemory m, Understanding u, CrmAccount a, Controls c) {
    SessionMemories.remember(m, visitor("e" + t, t++, "text"), u, p);
    return NextActionPolicy.decide(m, u, LeadScorer.score(m, a, p), a, c, p);
  }

  private Decision say(SessionMemory m, Understanding u) {
    return say(m, u, null, Controls.NONE);
  }

  /** A session with every required slot filled and a high score. */
  private SessionMemory qualified() {
    SessionMemory m = memory();
    say(m, u("sales").conf(0.95).sentiment(0.6).urgency("high")
        .slot("budget", "50000 EUR/year", "50k").slot("authority", "decision_maker", "I decide")
        .slot("need", "crm", "CRM").slot("timeline", "this_quarter", "this quarter")
        .slot("company_size", "120", "120 people").slot("email", "a@b.example", "a@b.example").build());
    for (int i = 0; i < 5; i++) {
      say(m, u("sales").sentiment(0.6).build());
    }
    return m;
  }

  @Test
  void asksTheNextSlotWithItsQuestion() {
    SessionMemory m = memory();
    Decision d = say(m, u("sales").intent("pricing").build());
    assertThat(d.action()).isEqualTo(ActionType.ASK_SLOT);
    assertThat(d.rule()).isEqualTo("ask_next_slot");
    assertThat(d.slot()).isEqualTo("budget");
    assertThat(d.message()).isEqualTo(p.questionTemplate("budget", "en").orElseThrow());
    assertThat(d.toAgent()).isFalse();
  }

  @Test
  void withAnAgentInTheChatTheQuestionIsASuggestionForTheAgent() {
    SessionMemory m = memory();
    SessionMemories.remember(m, Fixtures.event("j", 0, SenderRole.SYSTEM, ChatEventType.AGENT_JOINED, null), null, p);
    Decision d = say(m, u("sales").lang("fr").build());
    assertThat(d.action()).isEqualTo(ActionType.ASK_SLOT);
    assertThat(d.toAgent()).isTrue();
    assertThat(d.message()).contains("budget");
  }

  @Test
  void nothingForSmallTalk() {
    Decision d = say(memory(), u("other").intent("greeting").build());
    assertThat(d.action()).isEqualTo(ActionType.NONE);
    assertThat(d.rule()).isEqualTo("default");
  }

  @Test
  void handsOffAQualifiedLeadToSales() {
    Decision d = say(qualified(), u("sales").sentiment(0.6).build());
    assertThat(d.action()).isEqualTo(ActionType.HANDOFF_TO_SALES);
    assertThat(d.rule()).isEqualTo("qualified_handoff");
    assertThat(d.routeTo()).isEqualTo("sales");
    assertThat(d.message()).contains("sales team");
  }

  @Test
  void explicitSalesRequestWithALeadSignalHandsOffAtOnce() {
    Decision d = say(memory(), u("sales").sales().build());
    assertThat(d.action()).isEqualTo(ActionType.HANDOFF_TO_SALES);
    assertThat(d.rule()).isEqualTo("explicit_sales_request");
    CrmAccount owned = CrmAccount.newBuilder(account()).setOwner("rep.jane").build();
    assertThat(say(memory(), u("sales").sales().build(), owned, Controls.NONE).routeTo()).as("account owner first").isEqualTo("rep.jane");
  }

  @Test
  void escalatesOnHumanRequestNegativeSentimentUrgentSupportAndVip() {
    Decision human = say(memory(), u("other").human().build());
    assertThat(human.action()).isEqualTo(ActionType.ESCALATE_TO_HUMAN);
    assertThat(human.rule()).isEqualTo("explicit_human_request");
    assertThat(human.routeTo()).isEqualTo("support-humans");

    assertThat(say(memory(), u("sales").sentiment(-0.9).build()).rule()).isEqualTo("negative_sentiment");
    assertThat(say(memory(), u("support").urgency("high").build()).rule()).isEqualTo("urgent_support");

    CrmAccount vip = CrmAccount.newBuilder(account()).setVip(true).build();
    Decision d = say(memory(), u("sales").build(), vip, Controls.NONE);
    assertThat(d.action()).isEqualTo(ActionType.ESCALATE_TO_HUMAN);
    assertThat(d.rule()).isEqualTo("vip_account");
  }

  @Test
  void existingCustomerAskingForSupportIsNeverANewLead() {
    CrmAccount customer = CrmAccount.newBuilder(account()).setExistingCustomer(true).build();
    SessionMemory m = memory();
    say(m, u("sales").build(), customer, Controls.NONE);
    Decision d = say(m, u("support").intent("bug").urgency("medium").build(), customer, Controls.NONE);
    assertThat(d.action()).isEqualTo(ActionType.SUPPORT_ONLY);
    assertThat(d.rule()).isEqualTo("existing_customer_support");
    assertThat(say(memory(), u("support").intent("bug").build()).action()).isEqualTo(ActionType.SUPPORT_ONLY);
  }

  @Test
  void presalesQuestionIsAnsweredFromKnowledge() {
    Decision d = say(memory(), u("presales").intent("integration").conf(0.8).build());
    assertThat(d.action()).isEqualTo(ActionType.ANSWER_FROM_KNOWLEDGE);
    assertThat(d.rule()).isEqualTo("presales_question");
    assertThat(say(memory(), u("presales").conf(0.4).build()).action()).as("unsure: ask instead").isEqualTo(ActionType.ASK_SLOT);
  }

  @Test
  void longTimelineOrNothingLeftToAskNurtures() {
    SessionMemory m = memory();
    Decision d = say(m, u("sales").slot("timeline", "later", "maybe next year").build());
    assertThat(d.action()).isEqualTo(ActionType.NURTURE);
    assertThat(d.rule()).isEqualTo("long_timeline");

    SessionMemory capped = memory();
    capped.setQuestionsAsked(6);
    Decision c = say(capped, u("sales").build());
    assertThat(c.action()).isEqualTo(ActionType.NURTURE);
    assertThat(c.rule()).isEqualTo("incomplete_qualification");
  }

  @Test
  void killSwitchStopsQuestionsAndHandoffsAndRoutesToHumans() {
    Controls kill = new Controls(true, 0);
    Decision ask = say(memory(), u("sales").build(), null, kill);
    Decision handoff = say(qualified(), u("sales").sales().build(), null, kill);
    for (Decision d : new Decision[] {ask, handoff}) {
      assertThat(d.action()).isEqualTo(ActionType.ESCALATE_TO_HUMAN);
      assertThat(d.rule()).isEqualTo("kill_switch");
      assertThat(d.routeTo()).isEqualTo("support-humans");
    }
  }

  @Test
  void rateLimitTurnsANewHandoffIntoNurture() {
    int limit = p.tenant("default").handoffsPerHour();
    Decision limited = say(qualified(), u("sales").sentiment(0.6).build(), null, new Controls(false, limit));
    assertThat(limited.action()).isEqualTo(ActionType.NURTURE);
    assertThat(limited.rule()).isEqualTo("rate_limited");
    assertThat(say(qualified(), u("sales").sentiment(0.6).build(), null, new Controls(false, limit - 1)).action())
        .isEqualTo(ActionType.HANDOFF_TO_SALES);

    SessionMemory handedOff = qualified();
    handedOff.setHandoffAt(1L);
    assertThat(say(handedOff, u("sales").build(), null, new Controls(false, limit + 5)).action())
        .as("a session already handed off is not taken back").isEqualTo(ActionType.HANDOFF_TO_SALES);
  }

  @Test
  void territoryRoutingAndRuleRouteOverride() throws Exception {
    Policy territorial = Policy.parse(PolicyTest.edit("strategy: round_robin ", "strategy: territory ")
        .replace("territories: {}", "territories: {EMEA: sales-emea}")
        .replace("prefer_account_owner: true ", "prefer_account_owner: false")
        .replace("    when: {wants_sales: true, lead_signal: true}\n    action: HANDOFF_TO_SALES\n",
            "    when: {wants_sales: true, lead_signal: true}\n    action: HANDOFF_TO_SALES\n    route_to: inbound-hot\n"));
    CrmAccount emea = CrmAccount.newBuilder(account()).setTerritory("EMEA").setOwner("rep.jane").build();
    SessionMemory m = qualified();
    Decision d = NextActionPolicy.decide(m, u("sales").build(), LeadScorer.score(m, emea, territorial), emea, Controls.NONE, territorial);
    assertThat(d.routeTo()).isEqualTo("sales-emea");
    Decision hot = NextActionPolicy.decide(m, u("sales").sales().build(), LeadScorer.score(m, null, territorial), null, Controls.NONE, territorial);
    assertThat(hot.rule()).isEqualTo("explicit_sales_request");
    assertThat(hot.routeTo()).isEqualTo("inbound-hot");
  }
}
