package dev.leadqual.udfs.understand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leadqual.udfs.text.Fold;
import dev.leadqual.udfs.text.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The committed intent model and entity tagger give exactly the same numbers from their compact
 * weights ({@link SparseRows}) as from the dense tables they are read from, on real chat lines and
 * on random text.
 */
class SparseRowsTest {

  private static final String[] LINES = {
    "how much is the enterprise plan for 200 seats?",
    "Hi, I'm Dana Whitfield, CTO at Northwind Traders. We're 250 employees, budget 75k-150k euro per year. dana@northwind.com",
    "¿Cuánto cuesta el plan Business para 40 usuarios? Soy el director de operaciones de Contoso.",
    "Können wir nächste Woche eine Demo vereinbaren? Ich bin Geschäftsführer bei Umbrella Logistics.",
    "Bonjour, je voudrais un devis pour 50 utilisateurs", "Olá, somos a Hooli, temos cerca de 300 funcionários.",
    "james", "Priya Raman from Stark Retail here", "the widget is not loading on our website since this morning",
  };

  private static List<String> texts() {
    List<String> texts = new ArrayList<>(List.of(LINES));
    Random random = new Random(5);
    String[] words = "the a Acme Corp my name is John Smith we need 200 seats budget 5k Q3 demo Zendesk salesforce éé ß 42 of at".split(" ");
    for (int n = 0; n < 2_000; n++) {
      StringBuilder b = new StringBuilder();
      for (int k = 1 + random.nextInt(20); k > 0; k--) {
        b.append(words[random.nextInt(words.length)]).append(random.nextInt(6) == 0 ? ", " : " ");
      }
      texts.add(b.toString().trim());
    }
    return texts;
  }

  @Test
  void theIntentModelPredictsAsFromItsDenseWeights() {
    HashedLinearModel model = Understander.loadDefault().intentModel();
    for (String text : texts()) {
      Tokens t = Tokens.of(Fold.fold(text));
      int[][] holder = {new int[64]};
      int n = HashedLinearModel.features(t, model.bits, holder);
      double[] sparse = new double[model.classes];
      model.predict(holder[0], n, sparse);
      // the dense computation, as before the compact layout
      double[] dense = new double[model.classes];
      double scale = n == 0 ? 0 : 1.0 / Math.sqrt(n);
      for (int c = 0; c < model.classes; c++) {
        dense[c] = model.bias[c];
      }
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < model.classes; c++) {
          dense[c] += model.weights[holder[0][i] * model.classes + c] * scale;
        }
      }
      HashedLinearModel.softmax(dense, model.classes);
      assertThat(sparse).as(text).containsExactly(dense);
    }
  }

  @Test
  void theTaggerScoresAndDecodesAsFromItsDenseWeights() {
    EntityTagger tagger = Understander.defaultTagger();
    for (String text : texts()) {
      Tokens t = Tokens.of(Fold.fold(text));
      int n = t.size;
      if (n == 0) {
        continue;
      }
      int[] feats = new int[n * EntityTagger.NF];
      EntityTagger.features(text, t, tagger.bits, tagger.vocab, feats);
      double[] dense = new double[n * EntityTagger.K * 3];
      int[] denseTags = new int[n];
      EntityTagger.decode(tagger.weights, tagger.trans, feats, n, dense, denseTags);
      double[] sparse = new double[n * EntityTagger.K * 3];
      int[] sparseTags = new int[n];
      EntityTagger.emissions(tagger.rows, feats, n, sparse);
      EntityTagger.viterbi(tagger.trans, n, sparse, sparseTags);
      assertThat(sparse).as(text).containsExactly(dense);
      assertThat(sparseTags).as(text).containsExactly(denseTags);
    }
  }
}
