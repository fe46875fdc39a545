package dev.leadqual.udfs.qualify;

import static dev.leadqual.udfs.qualify.Fixtures.memory;
import static dev.leadqual.udfs.qualify.Fixtures.u;
import static dev.leadqual.udfs.qualify.Fixtures.visitor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.state.SessionMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlotFillingTest {
  final Policy p = Policy.defaults();

  private static void ask(SessionMemory m, String slot) {
    SessionMemories.record(m, new Decision(ActionType.ASK_SLOT, "ask_next_slot", slot, "?", false, null), null, 0);
  }

  @Test
  void asksRequiredSlotsInOrderSkippingFilledOnes() {
    SessionMemory m = memory();
    assertThat(SlotFilling.nextSlotToAsk(m, p)).contains("budget");
    SessionMemories.remember(m, visitor("e1", 1, "I'm the CTO and we have 50k"), u("sales")
        .slot("authority", "decision_maker", "CTO").slot("budget", "50000 EUR/total", "50k").build(), p);
    assertThat(SlotFilling.nextSlotToAsk(m, p)).contains("need");
    assertThat(SlotFilling.missingSlots(m, p)).containsExactly("need", "timeline", "company_size", "contact");
  }

  @Test
  void neverReasksAFilledDeclinedOrAlreadyAskedSlot() {
    SessionMemory m = memory();
    List<String> asked = new ArrayList<>();
    for (int turn = 0; turn < 10; turn++) {
      Optional<String> next = SlotFilling.nextSlotToAsk(m, p);
      if (next.isEmpty()) {
        break;
      }
      String slot = next.get();
      assertThat(SlotFilling.isFilled(m, slot, p)).isFalse();
      assertThat(m.getDeclinedSlots()).doesNotContain(slot);
      if (!asked.isEmpty()) {
        assertThat(slot).as("not the same question twice in a row").isNotEqualTo(asked.get(asked.size() - 1));
      }
      asked.add(slot);
      ask(m, slot);
      switch (slot) {
        case "budget" -> SessionMemories.remember(m, visitor("b", turn, "no sé"), u("other").lang("es").build(), p);
        case "authority" -> SessionMemories.remember(m, visitor("a", turn, "what?"), u("other").build(), p); // ignored
        default -> SessionMemories.remember(m, visitor("x" + turn, turn, "answer"),
            u("sales").slot(slot.equals("contact") ? "email" : slot, "v", "answer").build(), p);
      }
    }
    // Each question is asked once: a declined one (budget) and an ignored one (authority) are not repeated.
    assertThat(asked).containsExactly("budget", "authority", "need", "timeline", "company_size", "contact");
    assertThat(m.getDeclinedSlots()).containsExactly("budget");
    assertThat(SlotFilling.nextSlotToAsk(m, p)).as("nothing left to ask, and the cap of 6 is reached").isEmpty();
    assertThat(SlotFilling.isFilled(m, "contact", p)).isTrue();
    assertThat(SlotFilling.isFilled(m, "authority", p)).isFalse();
  }

  @Test
  void respectsTheTenantsQuestionCapAndOrder() throws Exception {
    Policy acme = Policy.parse(PolicyTest.edit("tenants:\n  default:",
        "tenants:\n  acme:\n    required_slots: [need, contact, budget]\n    max_questions_per_session: 2\n  default:"));
    SessionMemory m = SessionMemories.fresh(dev.leadqual.schema.ChatEvent.newBuilder(visitor("e0", 0, "hi")).setTenantId("acme").build());
    assertThat(SlotFilling.nextSlotToAsk(m, acme)).contains("need");
    ask(m, "need");
    assertThat(SlotFilling.nextSlotToAsk(m, acme)).contains("contact");
    ask(m, "contact");
    assertThat(SlotFilling.nextSlotToAsk(m, acme)).isEmpty();
  }

  @Test
  void lowConfidenceSlotIsNotFilled() {
    SessionMemory m = memory();
    SessionMemories.remember(m, visitor("e1", 1, "maybe 10k?"), u("sales").slot("budget", "10000 EUR/total", "10k", 0.3).build(), p);
    assertThat(SlotFilling.isFilled(m, "budget", p)).isFalse();
    assertThat(SlotFilling.nextSlotToAsk(m, p)).contains("budget");
  }

  @Test
  void asksInTheVisitorsLanguageWithEnglishFallback() {
    assertThat(SlotFilling.question("budget", "es", p)).startsWith("¿").contains("presupuesto");
    assertThat(SlotFilling.question("budget", "de", p)).contains("Budget");
    assertThat(SlotFilling.question("timeline", "fr", p)).contains("solution en place");
    assertThat(SlotFilling.question("company_size", "pt", p)).contains("pessoas");
    assertThat(SlotFilling.question("need", "ja", p)).isEqualTo(SlotFilling.question("need", "en", p));
    assertThatThrownBy(() -> SlotFilling.question("competitor", "en", p)).hasMessageContaining("competitor");
  }

  @Test
  void timelineBuckets() {
    long now = Fixtures.T0.toEpochMilli();
    assertThat(SlotFilling.timelineBucket("this_quarter", now)).isEqualTo("this_quarter");
    assertThat(SlotFilling.timelineBucket("2026-03-20", now)).isEqualTo("now");
    assertThat(SlotFilling.timelineBucket("2026-09-01", now)).isEqualTo("this_year");
    assertThat(SlotFilling.timelineBucket("2027-06-01", now)).isEqualTo("later");
    assertThat(SlotFilling.timelineBucket("2027-06-01|later", now)).isEqualTo("later");
    assertThat(SlotFilling.timelineBucket("soonish", now)).isNull();
  }
}
