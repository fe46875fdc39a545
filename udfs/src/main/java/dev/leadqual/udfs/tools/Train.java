package dev.leadqual.udfs.tools;

import dev.leadqual.udfs.understand.HashedLinearModel;
import dev.leadqual.udfs.understand.Intents;
import dev.leadqual.udfs.understand.Trainer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the intent-category model from the public data (shared/data, read in place) plus the
 * hand-written seed chats, and writes {@code udfs/src/main/resources/dev/leadqual/udfs/understand/intent-model.bin.gz}.
 * Deterministic: same data, same model id.
 *
 * <p>Run from the repo root: {@code mvn -q -o -pl udfs exec:java -Dexec.mainClass=dev.leadqual.udfs.tools.Train}
 * (optional args: data dir, output file).
 */
public final class Train {
  public static final int BITS = 18;
  /** Rows per (data set, category) at most, so one big set cannot drown the others. */
  static final int CAP = 8000;
  static final double SEED_WEIGHT = 6.0;

  private Train() {}

  public static void main(String[] args) throws IOException {
    Path data = Datasets.locate(args);
    Path out = args.length > 1 ? Path.of(args[1])
        : Path.of(Files.isDirectory(Path.of("udfs")) ? "udfs" : ".").resolve("src/main/resources/dev/leadqual/udfs/understand/intent-model.bin.gz");
    Datasets d = new Datasets(data);
    List<Datasets.Example> all = new ArrayList<>();
    all.addAll(d.banking77());
    all.addAll(d.clinc150());
    all.addAll(d.bitext());
    all.addAll(d.multidogo());
    all.addAll(Datasets.seed());
    List<Datasets.Example> train = all.stream().filter(e -> "train".equals(e.split())).toList();
    HashedLinearModel m = train(train);
    Files.createDirectories(out.getParent());
    try (OutputStream os = Files.newOutputStream(out)) {
      HashedLinearModel.write(os, BITS, Intents.CATEGORIES.toArray(new String[0]), Trainer.weightsOf(m), Trainer.biasOf(m));
    }
    System.out.println("rows=" + rowsOf(train).size() + " model=" + m.id() + " -> " + out);
  }

  /** Trains on the given examples (categories only; seed rows weighted up, big sets capped, classes balanced). */
  public static HashedLinearModel train(List<Datasets.Example> examples) {
    List<Trainer.Row> rows = rowsOf(examples);
    return new Trainer(BITS, Intents.CATEGORIES.toArray(new String[0])).train(rows);
  }

  static List<Trainer.Row> rowsOf(List<Datasets.Example> examples) {
    Map<String, Integer> seen = new HashMap<>();
    List<Datasets.Example> kept = new ArrayList<>();
    for (Datasets.Example e : examples) {
      if (e.category() == null) {
        continue;
      }
      String key = e.dataset() + "/" + e.category();
      int n = seen.merge(key, 1, Integer::sum);
      // deterministic thinning: keep every row until the cap, then a fixed hash subset
      if (n > CAP && Math.floorMod(e.text().hashCode(), 4) != 0) {
        continue;
      }
      if (n > CAP * 2) {
        continue;
      }
      kept.add(e);
    }
    Map<String, Double> perClass = new HashMap<>();
    for (Datasets.Example e : kept) {
      perClass.merge(e.category(), "seed".equals(e.dataset()) ? SEED_WEIGHT : 1.0, Double::sum);
    }
    double total = perClass.values().stream().mapToDouble(Double::doubleValue).sum();
    List<Trainer.Row> rows = new ArrayList<>();
    for (Datasets.Example e : kept) {
      double classWeight = Math.sqrt(total / (4 * perClass.get(e.category())));
      double w = classWeight * ("seed".equals(e.dataset()) ? SEED_WEIGHT : 1.0);
      rows.add(new Trainer.Row(e.text(), Intents.categoryIndex(e.category()), w));
    }
    return rows;
  }
}
