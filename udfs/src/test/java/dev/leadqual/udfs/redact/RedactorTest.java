package dev.leadqual.udfs.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void redactsEmailsPhonesCardsAndIbans() {
    assertThat(Redactor.redact("mail me at jane.doe+leads@acme-corp.co.uk please"))
        .isEqualTo("mail me at [email] please");
    assertThat(Redactor.redact("call +1 (415) 555-0132 or 030 1234567"))
        .isEqualTo("call [phone] or [phone]");
    assertThat(Redactor.redact("card 4111 1111 1111 1111 exp 12/28")).isEqualTo("card [card] exp 12/28");
    assertThat(Redactor.redact("IBAN DE89 3704 0044 0532 0130 00 thanks")).isEqualTo("IBAN [iban] thanks");
  }

  @Test
  void keepsAmountsDatesAndOrdinaryNumbers() {
    String s = "budget 75,000-150,000 EUR, 200 seats, start 2026-12-31, 1.500.000 total";
    assertThat(Redactor.redact(s)).isEqualTo(s);
    assertThat(Redactor.redact(null)).isNull();
  }
}
