package dev.leadqual.udfs.qualify;

import static dev.leadqual.udfs.qualify.Fixtures.account;
import static dev.leadqual.udfs.qualify.Fixtures.memory;
import static dev.leadqual.udfs.qualify.Fixtures.u;
import static dev.leadqual.udfs.qualify.Fixtures.visitor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.ScoreContribution;
import dev.leadqual.schema.state.SessionMemory;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeadScorerTest {
  final Policy p = Policy.defaults();

  private SessionMemory engaged() {
    SessionMemory m = memory();
    SessionMemories.remember(m, visitor("e1", 1, "pricing for 200 seats"), u("sales").intent("pricing").conf(0.9).sentiment(0.5).urgency("medium").build(), p);
    SessionMemories.remember(m, visitor("e2", 2, "ok"), u("sales").conf(0.7).sentiment(0.5).build(), p);
    return m;
  }

  private static void fill(SessionMemory m, String slot, int t) {
    SessionMemories.remember(m, visitor("s" + t, 10 + t, slot), u("sales").conf(0.7).sentiment(0.5)
        .slot(slot, "v" + t, slot).build(), Policy.defaults());
  }

  @Test
  void contributionsSumToTheTotalAndExplainEachSignal() {
    SessionMemory m = engaged();
    fill(m, "budget", 1);
    fill(m, "need", 2);
    Score s = LeadScorer.score(m, null, p);
    assertThat(s.contributions()).extracting(ScoreContribution::getSignal)
        .containsExactly("intent", "slots", "engagement", "sentiment", "urgency");
    assertThat(s.total()).isEqualTo((int) Math.round(s.rawTotal()));
    // intent 25*0.9, slots 35*2/6, engagement 10*4/6, sentiment 5*0.5, urgency 10*0.5
    assertThat(s.rawTotal()).isCloseTo(22.5 + 11.7 + 6.7 + 2.5 + 5.0, within(0.001));
    assertThat(s.contributions().get(1).getDetail()).isEqualTo("2/6 required slots filled");
    assertThat(LeadScorer.score(m, null, p)).as("deterministic").isEqualTo(s);
  }

  @Test
  void moreSlotsNeverLowerTheScore() {
    SessionMemory m = engaged();
    int previous = LeadScorer.score(m, null, p).total();
    int t = 0;
    for (String slot : List.of("budget", "authority", "need", "timeline", "company_size", "email")) {
      // Same sentiment and intent as before: only the slot changes.
      fill(m, slot, ++t);
      int now = LeadScorer.score(m, null, p).total();
      assertThat(now).as("after " + slot).isGreaterThanOrEqualTo(previous);
      previous = now;
    }
    assertThat(LeadScorer.score(m, null, p).contributions().get(1).getPoints()).isEqualTo(35.0);
  }

  @Test
  void firmographicsOnlyWithACrmAccount() {
    SessionMemory m = engaged();
    Score without = LeadScorer.score(m, null, p);
    assertThat(without.contributions()).extracting(ScoreContribution::getSignal).doesNotContain("firmographics");

    CrmAccount fit = CrmAccount.newBuilder(account()).setEmployees(500).setOpenOpportunity(true).build();
    Score with = LeadScorer.score(m, fit, p);
    ScoreContribution f = with.contributions().stream().filter(c -> c.getSignal().equals("firmographics")).findFirst().orElseThrow();
    assertThat(f.getPoints()).isEqualTo(15 * 0.6, within(0.05));
    assertThat(f.getDetail()).contains("500 employees", "open opportunity");
    assertThat(with.total()).isGreaterThan(without.total());

    CrmAccount tiny = CrmAccount.newBuilder(account()).setEmployees(3).build();
    assertThat(LeadScorer.score(m, tiny, p).total()).isEqualTo(without.total());
  }

  @Test
  void negativeSentimentCostsPointsAndTheTotalIsClamped() {
    SessionMemory m = memory();
    SessionMemories.remember(m, visitor("e1", 1, "this is awful"), u("support").sentiment(-1.0).build(), p);
    Score s = LeadScorer.score(m, null, p);
    assertThat(s.contributions()).filteredOn(c -> c.getSignal().equals("sentiment")).extracting(ScoreContribution::getPoints).containsExactly(-5.0);
    assertThat(s.rawTotal()).isLessThan(0);
    assertThat(s.total()).isZero();
  }

  @Test
  void weightsComeFromThePolicy() throws Exception {
    Policy slotsHeavy = Policy.parse(PolicyTest.edit("    intent: 25 ", "    intent: 5  ").replace("    slots: 35 ", "    slots: 55 "));
    SessionMemory m = engaged();
    fill(m, "budget", 1);
    fill(m, "need", 2);
    fill(m, "timeline", 3);
    assertThat(LeadScorer.score(m, null, slotsHeavy).contributions().get(1).getPoints()).isEqualTo(27.5);
    assertThat(LeadScorer.score(m, null, slotsHeavy).contributions().get(0).getPoints()).isEqualTo(4.5);
  }
}
