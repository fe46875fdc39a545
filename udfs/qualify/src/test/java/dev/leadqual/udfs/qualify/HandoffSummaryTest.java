package dev.leadqual.udfs.qualify;

import static dev.leadqual.udfs.qualify.Fixtures.memory;
import static dev.leadqual.udfs.qualify.Fixtures.u;
import static dev.leadqual.udfs.qualify.Fixtures.visitor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.TranscriptTurn;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandoffSummaryTest {
  final Policy p = Policy.defaults();

  @Test
  void unknownAndDeclinedSlotsAreSaidSoAndContactDetailsNeverAppear() {
    SessionMemory m = memory();
    m.setAskedSlot("budget");
    SessionMemories.remember(m, visitor("e1", 1, "prefer not to say"), u("other").build(), p);
    SessionMemories.remember(m, visitor("e2", 2, "I'm Maria Lopez, reach me at maria@acme.example"), u("sales")
        .slot("name", "Maria Lopez", "Maria Lopez").slot("email", "maria@acme.example", "maria@acme.example").build(), p);
    List<TranscriptTurn> tail = List.of(
        new TranscriptTurn("e2", SenderRole.VISITOR, "I'm Maria Lopez, reach me at maria@acme.example or 0044 20 7946 0958", 2L, null),
        new TranscriptTurn("b1", SenderRole.BOT, "A much longer bot message that is not a visitor quote at all, really", 3L, null));
    String s = HandoffSummary.summarise(m, LeadScorer.score(m, null, p), tail);
    assertThat(s).contains("Who: Role unknown", "Budget: declined to say", "Need: unknown", "Timeline: unknown");
    assertThat(s).doesNotContain("maria", "Maria", "Lopez", "7946", "bot message");
    assertThat(HandoffSummary.keyQuotes(m, tail)).singleElement().asString().contains("[name]", "[email]", "[phone]");
  }

  @Test
  void quotesPreferTheSlotsThatMatterThenTheLongestVisitorTurns() {
    SessionMemory m = memory();
    SessionMemories.remember(m, visitor("e1", 1, "We must replace our ticketing tool"), u("sales")
        .slot("need", "helpdesk", "replace our ticketing tool").build(), p);
    List<TranscriptTurn> tail = List.of(
        new TranscriptTurn("e1", SenderRole.VISITOR, "We must replace our ticketing tool", 1L, null),
        new TranscriptTurn("e9", SenderRole.VISITOR, "ok", 9L, null),
        new TranscriptTurn("e8", SenderRole.VISITOR, "Our agents lose two hours a day switching between tools", 8L, null));
    assertThat(HandoffSummary.keyQuotes(m, tail))
        .containsExactly("We must replace our ticketing tool", "Our agents lose two hours a day switching between tools");
  }

  @Test
  void qualifiedNeedsTheScoreAndEveryRequiredSlotFilledOrDeclined() {
    SessionMemory m = memory();
    for (String slot : List.of("budget", "authority", "need", "timeline", "company_size")) {
      SessionMemories.remember(m, visitor(slot, 1, slot), u("sales").slot(slot, "v", slot).build(), p);
    }
    Score high = new Score(90, null);
    assertThat(HandoffSummary.isQualified(m, high, p)).as("contact missing").isFalse();
    m.getDeclinedSlots().add("contact");
    assertThat(HandoffSummary.isQualified(m, high, p)).isTrue();
    assertThat(HandoffSummary.isQualified(m, new Score(p.thresholds().qualify() - 1, null), p)).isFalse();
  }
}
