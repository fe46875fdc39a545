package dev.leadqual.udfs.tools;

import dev.leadqual.udfs.understand.EntityTagger;
import dev.leadqual.udfs.understand.HashedLinearModel;
import dev.leadqual.udfs.understand.Intents;
import dev.leadqual.udfs.understand.SlotNames;
import dev.leadqual.udfs.understand.TaggerTrainer;
import dev.leadqual.udfs.understand.Trainer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the intent-category model from the public data (shared/data, read in place) plus the
 * hand-written seed chats, and the person/company entity tagger from the train splits of the sets
 * with such spans (NLU++ folds 0-15, MultiDoGO train, WNUT17 train) plus the hand-written chat lines
 * with marked names (seed-entities.txt), and writes
 * {@code udfs/src/main/resources/dev/leadqual/udfs/understand/intent-model.bin.gz} and
 * {@code entity-tagger.bin.gz} next to it. Deterministic: same data, same model ids.
 *
 * <p>Run from the repo root: see EVALUATION.md (optional args: data dir, output file of the intent
 * model; the tagger goes into the same directory).
 */
public final class Train {
  public static final int BITS = 18;
  public static final int TAGGER_BITS = 18;
  public static final String TAGGER_FILE = "entity-tagger.bin.gz";
  /** Rows per (data set, category) at most, so one big set cannot drown the others. */
  static final int CAP = 8000;
  static final double SEED_WEIGHT = 6.0;
  static final int SEED_ENTITY_COPIES = 3;

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

    List<TaggerTrainer.Row> rows = taggerRows(withSeedEntities(taggerExamples(d.nluppSlots("train"), d.multidogoSlots("train"), d.wnutSlots("train"))));
    EntityTagger tagger = trainTagger(rows, vocabulary(d));
    Path taggerOut = out.resolveSibling(TAGGER_FILE);
    try (OutputStream os = Files.newOutputStream(taggerOut)) {
      EntityTagger.write(os, tagger);
    }
    System.out.println("tagger rows=" + rows.size() + " tagger=" + tagger.id() + " -> " + taggerOut);
  }

  /**
   * The tagger's training messages: the given sets, each set of fewer than 10,000 messages
   * (NLU++, WNUT17) twice, so that MultiDoGO's 80k turns do not drown their kinds of names.
   */
  @SafeVarargs
  public static List<Datasets.SlotExample> taggerExamples(List<Datasets.SlotExample>... sets) {
    List<Datasets.SlotExample> out = new ArrayList<>();
    for (List<Datasets.SlotExample> s : sets) {
      out.addAll(s);
      if (s.size() < 10_000) {
        out.addAll(s);
      }
    }
    return out;
  }

  /**
   * The given tagger examples plus {@link #SEED_ENTITY_COPIES} copies of the hand-written chat lines
   * with marked names (seed-entities.txt): the public sets have few names in chat contexts ("ask
   * Grace Okafor to call me", "cc my colleague ...", "regards, Hannah"). Three copies: the best of
   * 0/3/6 on the dev splits (NLU++ train folds 1 in 5, WNUT17 dev, MultiDoGO train 1 in 10).
   */
  public static List<Datasets.SlotExample> withSeedEntities(List<Datasets.SlotExample> examples) throws IOException {
    List<Datasets.SlotExample> out = new ArrayList<>(examples);
    List<Datasets.SlotExample> seeds = Datasets.seedEntities();
    for (int i = 0; i < SEED_ENTITY_COPIES; i++) {
      out.addAll(seeds);
    }
    return out;
  }

  /** Trains the entity tagger on the given rows (see {@link #taggerRows}) with the given common-word vocabulary. */
  public static EntityTagger trainTagger(List<TaggerTrainer.Row> rows, long[] vocab) {
    return new TaggerTrainer(TAGGER_BITS, vocab).train(rows);
  }

  /**
   * The tagger's common-word vocabulary: words seen at least 3 times in the intent corpora
   * (banking77, CLINC150, bitext: none of them is a tagger test set), proper nouns left out.
   */
  public static long[] vocabulary(Datasets d) throws IOException {
    List<String> texts = new ArrayList<>();
    for (List<Datasets.Example> xs : List.of(d.banking77(), d.clinc150(), d.bitext())) {
      for (Datasets.Example e : xs) {
        texts.add(e.text());
      }
    }
    // plus every word of the hand-written B2B chats and cue phrases (demo, webinar, invoice, ...),
    // except the seed answers, which are slot values (names, streets)
    List<String> ours = new ArrayList<>();
    for (Datasets.Example e : Datasets.seed()) {
      if (!"answer".equals(e.fine())) {
        ours.add(e.text());
      }
    }
    try (var in = Train.class.getResourceAsStream("/dev/leadqual/udfs/understand/cues.tsv")) {
      for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("#")) {
          ours.add(line.replace('|', ' ').replace('\t', ' ').replace('*', ' ').toLowerCase(Locale.ROOT));
        }
      }
    }
    return java.util.stream.LongStream.concat(java.util.Arrays.stream(EntityTagger.vocabulary(texts, 3)),
        java.util.Arrays.stream(EntityTagger.vocabulary(ours, 1))).distinct().sorted().toArray();
  }

  /**
   * Tagger rows from gold slot spans (name becomes PER, company ORG, every other slot O). Each
   * message that has upper-case letters is added a second time lower-cased, because chat visitors
   * often type without capitals (punctuation needs no such copy: the tokens ignore it).
   */
  public static List<TaggerTrainer.Row> taggerRows(List<Datasets.SlotExample> examples) {
    List<TaggerTrainer.Row> rows = new ArrayList<>();
    for (Datasets.SlotExample e : examples) {
      List<TaggerTrainer.Entity> ents = new ArrayList<>();
      for (Datasets.GoldSlot g : e.slots()) {
        if (SlotNames.NAME.equals(g.slot())) {
          ents.add(new TaggerTrainer.Entity(g.start(), g.end(), "PER"));
        } else if (SlotNames.COMPANY.equals(g.slot())) {
          ents.add(new TaggerTrainer.Entity(g.start(), g.end(), "ORG"));
        }
      }
      rows.add(new TaggerTrainer.Row(e.text(), ents));
      String lower = e.text().toLowerCase(Locale.ROOT);
      if (!lower.equals(e.text()) && lower.length() == e.text().length()) {
        rows.add(new TaggerTrainer.Row(lower, ents));
      }
    }
    return rows;
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
