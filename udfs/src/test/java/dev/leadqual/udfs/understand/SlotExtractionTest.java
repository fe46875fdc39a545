package dev.leadqual.udfs.understand;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlotExtractionTest {
  static final Understander U = Understander.loadDefault();
  /** Tuesday 10 March 2026. */
  static final long AT = Instant.parse("2026-03-10T09:15:00Z").toEpochMilli();

  private static Slot slot(String text, String name) {
    Optional<Slot> s = U.understand(text, null, AT).slot(name);
    assertThat(s).as(name + " in: " + text).isPresent();
    Slot x = s.get();
    assertThat(text.substring(x.start(), x.end())).isEqualTo(x.text());
    assertThat(x.confidence()).isBetween(0.0, 1.0);
    return x;
  }

  private static void none(String text, String name) {
    assertThat(U.understand(text, null, AT).slot(name)).as(name + " in: " + text).isEmpty();
  }

  @Test
  void email() {
    Slot s = slot("sure, it's Dana.Whitfield@Northwind.io.", SlotNames.EMAIL);
    assertThat(s.value()).isEqualTo("dana.whitfield@northwind.io");
    assertThat(s.text()).isEqualTo("Dana.Whitfield@Northwind.io");
    assertThat(slot("escríbeme a maria@empresa.es", SlotNames.EMAIL).start()).isEqualTo(12);
    assertThat(slot("my email is karthik gmailcom", SlotNames.EMAIL).value()).isEqualTo("karthik@gmail.com");
    none("send it to me @ the office", SlotNames.EMAIL);
  }

  @Test
  void phoneIsE164UsingTheLanguageForTheRegion() {
    Slot us = slot("call me at (415) 555-0132 tomorrow", SlotNames.PHONE);
    assertThat(us.value()).isEqualTo("+14155550132");
    assertThat(us.text()).isEqualTo("(415) 555-0132");
    assertThat(slot("Rufen Sie mich an: 030 12345678", SlotNames.PHONE).value()).isEqualTo("+493012345678");
    assertThat(slot("mi móvil es 612 34 56 78", SlotNames.PHONE).value()).isEqualTo("+34612345678");
    assertThat(slot("mon numéro : 06 12 34 56 78", SlotNames.PHONE).value()).isEqualTo("+33612345678");
    assertThat(slot("whatsapp +55 11 98765-4321", SlotNames.PHONE).value()).isEqualTo("+5511987654321");
    none("we have 250 employees and a budget of 1,500,000 USD", SlotNames.PHONE);
  }

  @Test
  void theWordsBeforeANumberSayWhetherItIsAPhone() {
    // an id however phone-like its digits
    none("my account number is 4155550132", SlotNames.PHONE);
    none("policy no 276586786", SlotNames.PHONE);
    // eight bare digits are refused unless the visitor says it is a phone number
    none("reference 87867678", SlotNames.PHONE);
    none("it was 87867678", SlotNames.PHONE);
    assertThat(slot("thanks phone no is 87867678", SlotNames.PHONE).value()).isEqualTo("87867678");
    // a short address line can look French; the visitor's locale still gives the region
    assertThat(U.understand("address 374 canning blvd ma 2721 ph 963 210 7458", "en-US", AT).slot(SlotNames.PHONE))
        .hasValueSatisfying(p -> assertThat(p.value()).isEqualTo("+19632107458"));
  }

  @Test
  void budgetRangesCurrenciesAndPeriods() {
    Slot r = slot("our budget is 75k-150k euro per year", SlotNames.BUDGET);
    assertThat(r.value()).isEqualTo("75000-150000 EUR/year");
    assertThat(r.text()).isEqualTo("75k-150k euro per year");
    assertThat(slot("we can do $2,500/month", SlotNames.BUDGET).value()).isEqualTo("2500 USD/month");
    assertThat(slot("budget is around 100k", SlotNames.BUDGET).value()).isEqualTo("100000 XXX");
    assertThat(slot("Unser Budget liegt bei 20.000 € pro Jahr", SlotNames.BUDGET).value()).isEqualTo("20000 EUR/year");
    assertThat(slot("tenemos un presupuesto de 5.000 euros al mes", SlotNames.BUDGET).value()).isEqualTo("5000 EUR/month");
    assertThat(slot("notre budget est de 30 000 € par an", SlotNames.BUDGET).value()).isEqualTo("30000 EUR/year");
    assertThat(slot("orçamento de R$ 10 mil por mês", SlotNames.BUDGET).value()).isEqualTo("10000 BRL/month");
    none("we are 200 people", SlotNames.BUDGET);
  }

  @Test
  void nowOnItsOwnIsNoTimeline() {
    none("I'm off now", SlotNames.TIMELINE);
    none("right now we use spreadsheets", SlotNames.TIMELINE);
    assertThat(slot("we need it asap", SlotNames.TIMELINE).value()).isEqualTo("2026-03-10|now");
  }

  @Test
  void timelineResolvesAgainstTheMessageTimeWithABucket() {
    assertThat(slot("can we start next week?", SlotNames.TIMELINE).value()).isEqualTo("2026-03-22|now");
    assertThat(slot("we want to go live by 2026-12-31", SlotNames.TIMELINE).value()).isEqualTo("2026-12-31|this_year");
    assertThat(slot("decision in Q3", SlotNames.TIMELINE).value()).isEqualTo("2026-09-30|this_year");
    assertThat(slot("before the end of this quarter", SlotNames.TIMELINE).value()).isEqualTo("2026-03-31|this_quarter");
    assertThat(slot("maybe next year", SlotNames.TIMELINE).value()).isEqualTo("2027-12-31|later");
    assertThat(slot("in 3 weeks", SlotNames.TIMELINE).value()).isEqualTo("2026-03-31|this_quarter");
    assertThat(slot("queremos empezar el 31 de diciembre de 2026", SlotNames.TIMELINE).value()).isEqualTo("2026-12-31|this_year");
    assertThat(slot("la próxima semana", SlotNames.TIMELINE).value()).isEqualTo("2026-03-22|now");
    assertThat(slot("Können wir nächste Woche sprechen?", SlotNames.TIMELINE).value()).isEqualTo("2026-03-22|now");
    assertThat(slot("Start am 15. April", SlotNames.TIMELINE).value()).isEqualTo("2026-04-15|this_year");
    assertThat(slot("la semaine prochaine", SlotNames.TIMELINE).value()).isEqualTo("2026-03-22|now");
    assertThat(slot("on voudrait démarrer le mois prochain", SlotNames.TIMELINE).value()).isEqualTo("2026-04-30|this_year");
    assertThat(slot("podemos falar amanhã?", SlotNames.TIMELINE).value()).isEqualTo("2026-03-11|now");
    assertThat(slot("let's talk on Friday", SlotNames.TIMELINE).value()).isEqualTo("2026-03-13|now");
    none("Guten Morgen!", SlotNames.TIMELINE);
  }

  @Test
  void companyAndSize() {
    Slot c = slot("I work at Northwind Traders and we have 250 employees", SlotNames.COMPANY);
    assertThat(c.value()).isEqualTo("Northwind Traders");
    Slot size = slot("I work at Northwind Traders and we have 250 employees", SlotNames.COMPANY_SIZE);
    assertThat(size.value()).isEqualTo("250");
    assertThat(size.text()).isEqualTo("250 employees");
    assertThat(slot("Ich bin bei der Müller GmbH", SlotNames.COMPANY).value()).isEqualTo("Müller GmbH");
    assertThat(slot("trabajo en Acme Logística", SlotNames.COMPANY).value()).isEqualTo("Acme Logística");
    assertThat(slot("how much for 200 seats?", SlotNames.COMPANY_SIZE).value()).isEqualTo("200");
    assertThat(slot("somos 40 personas", SlotNames.COMPANY_SIZE).value()).isEqualTo("40");
    assertThat(slot("wir haben 50-100 Mitarbeiter", SlotNames.COMPANY_SIZE).value()).isEqualTo("50-100");
    assertThat(slot("nous sommes 120 salariés", SlotNames.COMPANY_SIZE).value()).isEqualTo("120");
    assertThat(slot("somos 120 funcionários", SlotNames.COMPANY_SIZE).value()).isEqualTo("120");
    assertThat(slot("company name is wipro limited", SlotNames.COMPANY).value()).isEqualTo("wipro limited");
  }

  @Test
  void authorityFromJobTitle() {
    Slot a = slot("I'm the CTO, and I decide on tooling", SlotNames.AUTHORITY);
    assertThat(a.value()).isEqualTo("decision_maker");
    assertThat(a.text()).isEqualTo("CTO");
    assertThat(slot("I am a marketing manager", SlotNames.AUTHORITY).value()).isEqualTo("influencer");
    assertThat(slot("je suis développeur", SlotNames.AUTHORITY).value()).isEqualTo("user");
    assertThat(slot("soy directora de operaciones", SlotNames.AUTHORITY).value()).isEqualTo("decision_maker");
    assertThat(slot("ich bin Geschäftsführer", SlotNames.AUTHORITY).value()).isEqualTo("decision_maker");
    none("our CEO asked me to look at chat tools", SlotNames.AUTHORITY);
  }

  @Test
  void needAndCompetitorFromTheCatalogue() {
    Understanding u = U.understand("we use Zendesk today and want a live chat with SSO", null, AT);
    assertThat(u.slot(SlotNames.COMPETITOR).map(Slot::value)).contains("zendesk");
    assertThat(u.slots()).filteredOn(s -> s.name().equals(SlotNames.NEED)).extracting(Slot::value)
        .containsExactly("live_chat", "sso");
    assertThat(slot("¿tienen chat en vivo?", SlotNames.NEED).value()).isEqualTo("live_chat");
  }

  @Test
  void customCatalogue() {
    Understander custom = Understander.load("{\"products\":[{\"id\":\"fleet\",\"aliases\":[\"fleet tracking\",\"gps tracker*\"]}],\"competitors\":[\"samsara\"]}");
    Understanding u = custom.understand("we are moving from Samsara, need gps trackers for 40 trucks", null, AT);
    assertThat(u.slot(SlotNames.NEED).map(Slot::value)).contains("fleet");
    assertThat(u.slot(SlotNames.COMPETITOR).map(Slot::value)).contains("samsara");
    assertThat(custom.modelId()).isNotEqualTo(U.modelId());
  }

  @Test
  void personName() {
    Slot n = slot("Hi, my name is Dana Whitfield from Northwind", SlotNames.NAME);
    assertThat(n.value()).isEqualTo("Dana Whitfield");
    assertThat(slot("me llamo Lucía Fernández", SlotNames.NAME).value()).isEqualTo("Lucía Fernández");
    assertThat(slot("Ich heiße Jonas Becker", SlotNames.NAME).value()).isEqualTo("Jonas Becker");
    assertThat(slot("je m'appelle Camille", SlotNames.NAME).value()).isEqualTo("Camille");
    assertThat(slot("meu nome é João Silva", SlotNames.NAME).value()).isEqualTo("João Silva");
    assertThat(slot("my name is john smith", SlotNames.NAME).value()).isEqualTo("john smith");
    // lower-cased: "my name is" and "name is" both match; the name is said once
    assertThat(U.understand("my name is dana", "en", AT).slots()).filteredOn(x -> x.name().equals(SlotNames.NAME))
        .extracting(Slot::value).containsExactly("dana");
    none("I'm interested in the pro plan", SlotNames.NAME);
  }

  @Test
  void namesAndCompaniesTheRulesMissComeFromTheTagger() {
    // lower-cased chat answers without a "my name is"
    Slot bare = slot("this is priya", SlotNames.NAME);
    assertThat(bare.value()).isEqualTo("priya");
    assertThat(bare.confidence()).isLessThan(0.85); // below the rules' self-introductions
    assertThat(slot("transfer 500 pounds to marta kowalczyk", SlotNames.NAME).value()).isEqualTo("marta kowalczyk");
    assertThat(slot("Can you ask Peter Gibbons to call me back?", SlotNames.NAME).value()).isEqualTo("Peter Gibbons");
    // the rules win where they fire
    assertThat(slot("Hi, my name is Dana Whitfield from Northwind", SlotNames.NAME).confidence()).isGreaterThanOrEqualTo(0.85);
    // ordinary words, function words and capitalised German nouns are not names
    for (String text : new String[] {"thanks", "pricing", "ok", "yes please", "our invoice is wrong", "can I get a demo next week",
        "Kann ich eine Demo bekommen?", "Will it work with our CRM?", "webinar"}) {
      none(text, SlotNames.NAME);
      none(text, SlotNames.COMPANY);
    }
  }

  @Test
  void fullLeadMessage() {
    Understanding u = U.understand("Hi, I'm Dana Whitfield, CTO at Northwind. We're 250 employees, budget 75k-150k euro per year, "
        + "want to go live in Q3. dana@northwind.com / +1 415 555 0132", null, AT);
    assertThat(u.isLeadSignal()).isTrue();
    assertThat(u.slots()).extracting(Slot::name).contains(SlotNames.NAME, SlotNames.AUTHORITY, SlotNames.COMPANY, SlotNames.COMPANY_SIZE,
        SlotNames.BUDGET, SlotNames.TIMELINE, SlotNames.EMAIL, SlotNames.PHONE);
    for (int i = 1; i < u.slots().size(); i++) {
      assertThat(u.slots().get(i).start()).isGreaterThanOrEqualTo(u.slots().get(i - 1).start());
    }
  }
}
