package dev.leadqual.udfs.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leadqual.udfs.understand.HashedLinearModel;
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
  void readsThePublicDataWhenPresent() throws Exception {
    Path data = Datasets.locate(new String[0]);
    assumeTrue(Files.isRegularFile(data.resolve("label_mapping.json")), "shared data not present");
    Datasets d = new Datasets(data);
    List<Datasets.Example> banking = d.banking77();
    assertThat(banking).hasSizeGreaterThan(13_000);
    assertThat(banking).extracting(Datasets.Example::category).contains("support", "presales").doesNotContain("sales");
    assertThat(d.nluppSlots()).anySatisfy(e -> assertThat(e.slots()).isNotEmpty());
  }
}
