package dev.leadqual.udfs.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leadqual.udfs.text.Fold;
import dev.leadqual.udfs.text.Tokens;
import dev.leadqual.udfs.understand.EntityTagger;
import dev.leadqual.udfs.understand.HashedLinearModel;
import dev.leadqual.udfs.understand.TaggerTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainTest {
  @Test
  void trainingIsDeterministicAndLearnsTheSeedChats() throws Exception {
    List<Datasets.Example> seed = Datasets.seed();
    assertThat(seed).hasSizeGreaterThan(150);
    HashedLinearModel a = Train.train(seed);
    HashedLinearModel b = Train.train(seed);
    assertThat(a.id()).isEqualTo(b.id());
    assertThat(a.labels()).containsExactly("sales", "presales", "support", "other");
  }

  @Test
  void taggerTrainingIsDeterministicAndLearnsNamesFromContext() {
    List<TaggerTrainer.Row> rows = new java.util.ArrayList<>();
    String[] names = {"anna", "james", "priya", "carlos", "mei", "olu", "sven", "fatima"};
    for (int i = 0; i < names.length; i++) {
      String text = "hi my name is " + names[i] + " and i need help";
      rows.add(new TaggerTrainer.Row(text, List.of(new TaggerTrainer.Entity(14, 14 + names[i].length(), "PER"))));
      rows.add(new TaggerTrainer.Row("i need help with my account", List.of()));
    }
    long[] vocab = EntityTagger.vocabulary(List.of("hi my name is and i need help with my account"), 1);
    EntityTagger a = Train.trainTagger(rows, vocab);
    EntityTagger b = Train.trainTagger(rows, vocab);
    assertThat(a.id()).startsWith("lqt-").isEqualTo(b.id());
    String text = "hi my name is zoltan and i need help";
    List<EntityTagger.Span> spans = new java.util.ArrayList<>();
    a.tag(text, Tokens.of(Fold.fold(text)), spans);
    assertThat(spans).singleElement().satisfies(s -> {
      assertThat(s.type()).isEqualTo("PER");
      assertThat(s.from()).isEqualTo(4); // the name never seen in training, found from its context
    });
  }

  @Test
  void readsThePublicDataWhenPresent() throws Exception {
    Path data = Datasets.locate(new String[0]);
    assumeTrue(Files.isRegularFile(data.resolve("label_mapping.json")), "shared data not present");
    Datasets d = new Datasets(data);
    List<Datasets.Example> banking = d.banking77();
    assertThat(banking).hasSizeGreaterThan(13_000);
    assertThat(banking).extracting(Datasets.Example::category).contains("support", "presales").doesNotContain("sales");
    assertThat(d.nluppSlots()).anySatisfy(e -> assertThat(e.slots()).isNotEmpty());
    assertThat(d.nluppSlots("train").size() + d.nluppSlots("test").size()).isEqualTo(d.nluppSlots("all").size());
    assertThat(d.wnutSlots("train")).anySatisfy(e -> assertThat(e.slots()).extracting(Datasets.GoldSlot::slot).contains("name"));
  }
}
