package dev.leadqual.udfs.understand;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Terse answers read in the context of the question asked ({@code understand(..., expectedSlot)}). */
class ExpectedAnswersTest {
  static final Understander U = SlotExtractionTest.U;
  static final long AT = Instant.parse("2026-03-10T09:15:00Z").toEpochMilli();

  /** The slot read with the question's context; also checks that the rules alone do not read it. */
  private static Slot answer(String text, String lang, String asked, String slot) {
    assertThat(U.understand(text, lang, AT).slot(slot)).as("rules alone on: " + text).isEmpty();
    Understanding u = U.understand(text, lang, AT, asked);
    Optional<Slot> s = u.slot(slot);
    assertThat(s).as(slot + " asked " + asked + " in: " + text).isPresent();
    Slot x = s.get();
    assertThat(text.substring(x.start(), x.end())).isEqualTo(x.text());
    assertThat(x.confidence()).isBetween(0.5, 0.8);
    assertThat(u.intent()).as("intent of: " + text).isEqualTo("answer");
    return x;
  }

  private static void notRead(String text, String lang, String asked, String slot) {
    assertThat(U.understand(text, lang, AT, asked).slot(slot)).as(slot + " asked " + asked + " in: " + text).isEmpty();
  }

  @Test
  void budgetFromBareAmountsAndRangesInFiveLanguages() {
    assertThat(answer("150k", "en", "budget", "budget").value()).isEqualTo("150000 XXX");
    assertThat(answer("between 50 and 100k", "en", "budget", "budget").value()).isEqualTo("50000-100000 XXX");
    assertThat(answer("fifty thousand", "en", "budget", "budget").value()).isEqualTo("50000 XXX");
    assertThat(answer("cincuenta mil", "es", "budget", "budget").value()).isEqualTo("50000 XXX");
    assertThat(answer("fünfzigtausend Euro", "de", "budget", "budget").value()).isEqualTo("50000 EUR");
    assertThat(answer("cent mille euros", "fr", "budget", "budget").value()).isEqualTo("100000 EUR");
    assertThat(answer("uns 30 mil", "pt", "budget", "budget").value()).isEqualTo("30000 XXX");
  }

  @Test
  void budgetIsNotStolenFromDeclinesDurationsYearsOrHeadCounts() {
    for (String text : new String[] {"no idea", "not sure yet", "2 weeks", "in 3 months", "2027", "ni idea", "keine Ahnung",
        "aucune idée", "não sei", "40 of us"}) {
      notRead(text, null, "budget", "budget");
    }
    Understanding weeks = U.understand("2 weeks", "en", AT, "budget");
    assertThat(weeks.intent()).isNotEqualTo("answer");
  }

  @Test
  void companySizeFromBareCountsAndRanges() {
    assertThat(answer("about 40 of us", "en", "company_size", "company_size").value()).isEqualTo("40");
    assertThat(answer("between 50 and 100", "en", "company_size", "company_size").value()).isEqualTo("50-100");
    assertThat(answer("unos 40", "es", "company_size", "company_size").value()).isEqualTo("40");
    assertThat(answer("zwischen 50 und 100", "de", "company_size", "company_size").value()).isEqualTo("50-100");
    assertThat(answer("quatre-vingts", "fr", "company_size", "company_size").value()).isEqualTo("80");
    assertThat(answer("vinte e cinco", "pt", "company_size", "company_size").value()).isEqualTo("25");
    assertThat(answer("1.5k", "en", "company_size", "company_size").value()).isEqualTo("1500");
    // "about" made the budget rules read a bare 400 as money; asked how many people, it is the head count
    Understanding u = U.understand("about 400 of us", "en", AT, "company_size");
    assertThat(u.slot("company_size").map(Slot::value)).contains("400");
    assertThat(u.slot("budget")).isEmpty();
  }

  @Test
  void companySizeIsNotAMoneyAmountADurationOrAYear() {
    for (String text : new String[] {"$40k", "50k euros", "2 weeks", "2026", "not sure", "no sé", "30%"}) {
      notRead(text, null, "company_size", "company_size");
    }
  }

  @Test
  void phoneWithSevenOrEightBareDigitsWhenContactOrPhoneIsAsked() {
    Slot p = answer("5550132", "en", "contact", "phone");
    assertThat(p.value()).endsWith("5550132");
    assertThat(answer("87654321", "en", "phone", "phone").value()).endsWith("87654321");
    notRead("5550132", "en", "budget", "phone");
    notRead("order 5550132", "en", "contact", "phone"); // an id cue word still wins
  }

  @Test
  void authorityFromATitleInALongerReply() {
    assertThat(answer("well, mostly the marketing manager here", "en", "authority", "authority").value()).isEqualTo("influencer");
    notRead("well, mostly the marketing manager here", "en", null, "authority");
  }

  @Test
  void nameAndCompanyFromABareShortAnswer() {
    assertThat(answer("Northwind", "en", "company", "company").value()).isEqualTo("Northwind");
    assertThat(answer("Maria Gonzalez", "es", "name", "name").value()).isEqualTo("Maria Gonzalez");
    assertThat(answer("Kowalczyk", "de", "name", "name").value()).isEqualTo("Kowalczyk");
    // the question says which one it is
    assertThat(U.understand("Northwind", "en", AT, "name").slot("name").map(Slot::value)).contains("Northwind");
  }

  @Test
  void yesThanksAndDeclinesAreNoName() {
    for (String text : new String[] {"yes", "thanks", "ok thanks!", "no idea", "sí", "ja", "merci", "obrigado", "prefer not to say",
        "hello there", "the pricing", "what?"}) {
      notRead(text, null, "name", "name");
      notRead(text, null, "company", "company");
    }
  }

  @Test
  void longMessagesAndQuestionsAreNotTerseAnswers() {
    notRead("how much would it cost for 150 people?", "en", "budget", "budget");
    notRead("we are looking at the product for a while now and 150 is what we have", "en", "company_size", "company_size");
  }

  @Test
  void withoutAnExpectedSlotTheResultIsTheSame() {
    for (String text : new String[] {"150k", "Northwind", "hi, I'm Dana from Northwind, budget is 50k", "5550132", "thanks!", ""}) {
      assertThat(U.understand(text, "en", AT, null)).isEqualTo(U.understand(text, "en", AT));
    }
  }

  @Test
  void anExplicitStatementKeepsItsOwnReading() {
    Understanding u = U.understand("our budget is €50k", "en", AT, "budget");
    assertThat(u).isEqualTo(U.understand("our budget is €50k", "en", AT));
    assertThat(u.slot("budget").get().confidence()).isGreaterThan(ExpectedAnswers.CONFIDENCE);
  }

  @Test
  void handWrittenDialogueFixtureNoNegativeIsFilledAndContextReadsMostAnswers() throws Exception {
    var scored = AnswersInContext.score(U);
    assertThat(scored).hasSizeGreaterThan(50);
    assertThat(scored).filteredOn(s -> s.row().negative()).allSatisfy(s -> assertThat(s.withContext()).as(s.row().toString()).isEqualTo("-"));
    long with = scored.stream().filter(AnswersInContext.Scored::rightWith).count();
    long without = scored.stream().filter(AnswersInContext.Scored::rightWithout).count();
    assertThat(with).as("right with context").isGreaterThanOrEqualTo(Math.round(scored.size() * 0.9));
    assertThat(without).as("right without context").isLessThan(with);
    // context never loses a value the rules read on their own
    assertThat(scored).filteredOn(AnswersInContext.Scored::rightWithout).allSatisfy(s -> assertThat(s.rightWith()).as(s.row().toString()).isTrue());
  }
}
