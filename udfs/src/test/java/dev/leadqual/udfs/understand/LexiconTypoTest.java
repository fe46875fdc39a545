package dev.leadqual.udfs.understand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.udfs.text.Fold;
import dev.leadqual.udfs.text.Tokens;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lexicon's reading of misspelt cue words ({@link Lexicon#enableTypoTolerance}). */
class LexiconTypoTest {
  private static List<String> hits(Lexicon lex, String text) {
    List<Lexicon.Hit> hits = new ArrayList<>();
    lex.match(Tokens.of(Fold.fold(text)), hits);
    List<String> out = new ArrayList<>();
    for (Lexicon.Hit h : hits) {
      out.add(h.entry.value + "@" + h.from);
    }
    return out;
  }

  private static Lexicon lexicon() {
    return new Lexicon().add("intent", "pricing", 2.4, "*", "pricing").add("intent", "demo_request", 3, "*", "demo")
        .add("intent", "cancellation", 2.8, "*", "end my subscription").add("intent", "a", 1, "*", "stripe")
        .add("intent", "b", 1, "*", "strike").add("intent", "refund", 2, "*", "refund*");
  }

  @Test
  void aMisspeltCueWordMatchesAsTheWordOneSlipAway() {
    Lexicon lex = lexicon().enableTypoTolerance(null);
    assertThat(hits(lex, "pricng please")).containsExactly("pricing@0"); // dropped
    assertThat(hits(lex, "can I see a demmo")).containsExactly("demo_request@4"); // doubled
    assertThat(hits(lex, "end my subscirption")).containsExactly("cancellation@0"); // swapped, inside a phrase
    assertThat(hits(lex, "prizing")).containsExactly("pricing@0"); // replaced, 7 letters
  }

  @Test
  void onlyPlausibleSlipsOfUnknownWordsAndOnlyOneCandidate() {
    Lexicon lex = lexicon().enableTypoTolerance(new long[] {Tokens.hashOf("pricng")});
    assertThat(hits(lex, "pricng")).as("a common word is never corrected").isEmpty();
    assertThat(hits(lex, "strine")).as("one slip from two cue words: no guess").isEmpty();
    assertThat(hits(lex, "bricing")).as("the first letter is kept").isEmpty();
    assertThat(hits(lex, "demos")).as("demo plus a letter that doubles no neighbour").isEmpty();
    assertThat(hits(lex, "refunds")).as("a stem still matches its extensions").containsExactly("refund@0");
    assertThat(hits(lexicon(), "pricng")).as("tolerance off").isEmpty();
  }

  @Test
  void plausibleSlips() {
    assertThat(slip("pricng", "pricing")).isTrue();
    assertThat(slip("chargged", "charged")).isTrue();
    assertThat(slip("cancle", "cancel")).isTrue();
    assertThat(slip("refumd", "refund")).isTrue();
    assertThat(slip("planets", "planes")).isFalse(); // the extra letter doubles no neighbour
    assertThat(slip("bulls", "bills")).isFalse(); // a replaced letter in a five-letter word
    assertThat(slip("thills", "bills")).isFalse();
    assertThat(slip("pricing", "pricing")).isFalse();
    assertThat(slip("prcng", "pricing")).isFalse();
  }

  private static boolean slip(String token, String word) {
    return Lexicon.withinOneEdit(token.toCharArray(), 0, token.length(), word);
  }

  @Test
  void theUnderstanderReadsCommonChatTypos() {
    Understander u = SlotExtractionTest.U;
    long at = SlotExtractionTest.AT;
    assertThat(u.understand("pricng for 20 users", "en", at).intent()).isEqualTo("pricing");
    assertThat(u.understand("cancle my subscripton", "en", at).intent()).isEqualTo("cancellation");
    assertThat(u.understand("can we book a demmo", "en", at).intent()).isEqualTo("demo_request");
    Understander off = Understander.withModels(u.intentModel(), Understander.defaultTagger(), null, false);
    assertThat(off.understand("can we book a demmo", "en", at).intent()).isNotEqualTo("demo_request");
    assertThat(off.modelId()).isNotEqualTo(u.modelId());
  }
}
