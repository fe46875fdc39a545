package dev.leadqual.udfs.understand;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnderstanderIntentTest {
  static final Understander U = Understander.loadDefault();
  static final long AT = Instant.parse("2026-03-10T09:15:00Z").toEpochMilli();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "how much is the enterprise plan for 200 seats?|presales|pricing",
    "can I get a demo next week|sales|demo_request",
    "our invoice is wrong|support|billing_issue",
    "we'd like to buy 50 licenses this quarter|sales|purchase",
    "can you send us a quote for 120 users|sales|quote",
    "is there a free trial?|sales|trial",
    "we need to upgrade to enterprise|sales|upgrade",
    "I can't log in, password reset doesn't arrive|support|account_access",
    "I want to cancel my subscription|support|cancellation",
    "the widget is not loading on our site|support|bug",
    "I'd like a refund please|support|refund",
    "hello|other|greeting",
    "thanks a lot!|other|thanks",
    "¿Cuánto cuesta el plan pro para 40 usuarios?|presales|pricing",
    "¿Podemos agendar una demo la próxima semana?|sales|demo_request",
    "La factura está mal, nos cobraron dos veces|support|billing_issue",
    "Was kostet der Enterprise-Plan?|presales|pricing",
    "Können Sie uns ein Angebot für 80 Nutzer schicken?|sales|quote",
    "Ich kann mich nicht anmelden|support|account_access",
    "Combien coûte l'abonnement par utilisateur ?|presales|pricing",
    "Je voudrais résilier mon abonnement|support|cancellation",
    "Quanto custa o plano anual?|presales|pricing",
    "Quero cancelar minha assinatura|support|cancellation",
  })
  void recognisesCategoryAndIntentOfRealisticChatLines(String text, String category, String intent) {
    Understanding u = U.understand(text, null, AT);
    assertThat(u.category()).as(text).isEqualTo(category);
    assertThat(u.intent()).as(text).isEqualTo(intent);
    assertThat(u.confidence()).isBetween(0.0, 1.0);
  }

  /**
   * Buying beyond SaaS (ordering, booking, renting, subscribing, opening an account, asking about
   * shipping, payment and fees) is a lead signal in every language; an existing customer using the
   * same words (a new password, a fee charged, an order id, their own limit, feedback) is not.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "I'd like to order 3 standing desks for the design team|sales",
    "can you book a table for 6 on Saturday evening|sales",
    "we want to rent two vans next week|sales",
    "I need a new fibre connection at our warehouse|sales",
    "how do I sign up for the team plan|sales",
    "I want to open an account for my bakery|sales",
    "we need another 15 seats|sales",
    "quisiera pedir 20 sillas para la oficina|sales",
    "ich möchte zwei Zimmer buchen|sales",
    "je voudrais commander 10 licences|sales",
    "quero alugar um carro amanhã|sales",
    "do you ship to Norway|presales",
    "which payment methods do you accept|presales",
    "is there a setup fee|presales",
    "I need a new password|support",
    "I was charged a fee twice this month|support",
    "where is my order 4471923|support",
    "what's my credit limit|support",
    "how do I change the delivery address of my order|support",
    "I'd like to leave feedback about the delivery|support",
    "cancel my booking for Friday|support",
    "necesito una nueva contraseña|support",
    "wir brauchen einen neuen Zugang für unseren Kollegen|support",
    "j'ai besoin d'un nouveau mot de passe|support",
    "quero uma nota fiscal do último pagamento|support",
    "wir brauchen 20 weitere Lizenzen|sales",
    "queremos mais 8 licenças|sales",
  })
  void buyingBeyondSaasIsALeadAndExistingCustomersUsingTheSameWordsAreNot(String text, String category) {
    Understanding u = U.understand(text, null, AT);
    assertThat(u.category()).as(text).isEqualTo(category);
    assertThat(u.isLeadSignal()).as(text).isEqualTo(!"support".equals(category));
  }

  @Test
  void talkToAHumanIsNotTalkToSales() {
    Understanding human = U.understand("I want to talk to a person", null, AT);
    assertThat(human.wantsHuman()).isTrue();
    assertThat(human.wantsSales()).isFalse();
    assertThat(human.isLeadSignal()).isFalse();

    Understanding sales = U.understand("can I speak to your sales team?", null, AT);
    assertThat(sales.wantsSales()).isTrue();
    assertThat(sales.wantsHuman()).isFalse();
    assertThat(sales.category()).isEqualTo("sales");
    assertThat(sales.intent()).isEqualTo("contact_sales");

    assertThat(U.understand("necesito hablar con una persona", null, AT).wantsHuman()).isTrue();
    assertThat(U.understand("ich möchte mit einem Menschen sprechen", null, AT).wantsHuman()).isTrue();
    assertThat(U.understand("je veux parler à un humain", null, AT).wantsHuman()).isTrue();
    assertThat(U.understand("quero falar com um atendente", null, AT).wantsHuman()).isTrue();
    assertThat(U.understand("quero falar com um vendedor", null, AT).wantsSales()).isTrue();
    assertThat(U.understand("how do I speak with somebody?", null, AT).wantsHuman()).isTrue();
    assertThat(U.understand("can I chat with an agent", null, AT).wantsHuman()).isTrue();
    Understanding salesPerson = U.understand("I'd like to talk to someone from sales", null, AT);
    assertThat(salesPerson.wantsSales()).isTrue();
    assertThat(salesPerson.wantsHuman()).isFalse();
    assertThat(U.understand("we talk to our customers every day", null, AT).wantsHuman()).isFalse();
  }

  @Test
  void supportMessagesAboutFeesAreNotLeads() {
    for (String s : new String[] {
      "why was I charged a fee for my card payment?",
      "my transfer has not arrived yet",
      "I was charged twice for the same order",
    }) {
      assertThat(U.understand(s, null, AT).isLeadSignal()).as(s).isFalse();
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "Hello, how much does the pro plan cost for our team?|en",
    "Hola, ¿cuánto cuesta el plan para nuestro equipo?|es",
    "Hallo, was kostet der Plan für unser Team?|de",
    "Bonjour, combien coûte le plan pour notre équipe ?|fr",
    "Olá, quanto custa o plano para a nossa equipe?|pt",
  })
  void detectsTheLanguage(String text, String lang) {
    Understanding u = U.understand(text, null, AT);
    assertThat(u.language()).isEqualTo(lang);
    assertThat(u.languageConfidence()).isGreaterThan(0.5);
  }

  @Test
  void languageHintDecidesWhenTheTextSaysLittle() {
    assertThat(U.understand("ok 👍", "de-DE", AT).language()).isEqualTo("de");
    assertThat(U.understand("Hello there, how are you", "fr", AT).language()).isEqualTo("en");
  }

  @Test
  void sentimentAndUrgency() {
    Understanding angry = U.understand("This is unacceptable, the app is down again and we are losing money. Fix it ASAP!", null, AT);
    assertThat(angry.sentiment()).isLessThan(-0.5);
    assertThat(angry.urgency()).isEqualTo("high");
    Understanding happy = U.understand("Great, that sounds perfect, thanks!", null, AT);
    assertThat(happy.sentiment()).isGreaterThan(0.5);
    assertThat(happy.urgency()).isEqualTo("low");
    assertThat(U.understand("this is not good", null, AT).sentiment()).isLessThan(0);
    assertThat(U.understand("es urgente, necesitamos una solución hoy", null, AT).urgency()).isEqualTo("high");
  }

  @Test
  void blankTextIsOtherWithoutSlots() {
    Understanding u = U.understand("  ", "es", AT);
    assertThat(u.category()).isEqualTo("other");
    assertThat(u.slots()).isEmpty();
    assertThat(u.language()).isEqualTo("es");
  }

  @Test
  void modelIdIsStableAndNamesModelAndRules() {
    assertThat(U.modelId()).startsWith("lqm-").contains("+rules-");
    assertThat(Understander.loadDefault().modelId()).isEqualTo(U.modelId());
  }

  @Test
  void isThreadSafe() throws Exception {
    String[] msgs = {"how much is the enterprise plan for 200 seats?", "Können wir nächste Woche eine Demo vereinbaren?",
      "my email is dana@northwind.com", "¿Cuánto cuesta el plan pro?"};
    Understanding[] expected = new Understanding[msgs.length];
    for (int i = 0; i < msgs.length; i++) {
      expected[i] = U.understand(msgs[i], null, AT);
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<Boolean>> fs = new java.util.ArrayList<>();
      for (int k = 0; k < 8; k++) {
        fs.add(pool.submit(() -> {
          for (int r = 0; r < 500; r++) {
            int i = r % msgs.length;
            if (!U.understand(msgs[i], null, AT).equals(expected[i])) {
              return false;
            }
          }
          return true;
        }));
      }
      for (var f : fs) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdown();
    }
  }
}
