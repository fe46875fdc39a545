package dev.leadqual.udfs.tools;

import dev.leadqual.udfs.understand.EntityTagger;
import dev.leadqual.udfs.understand.HashedLinearModel;
import dev.leadqual.udfs.understand.Slot;
import dev.leadqual.udfs.understand.SlotNames;
import dev.leadqual.udfs.understand.Understander;
import dev.leadqual.udfs.understand.Understanding;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Evaluates understanding on the public data (shared/data), read in place:
 *
 * <ol>
 *   <li>held-out: the committed model on each set's test split (banking77 test, clinc150 test,
 *       bitext 1-in-5 hash split, multidogo dev);
 *   <li>cross-data-set: for each set, a model trained on the other sets (+ seed chats) only,
 *       tested on all of that set;
 *   <li>rules only (no model), to show what the cues alone do;
 *   <li>slots on nlupp, multidogo dev and wnut17 test (lenient: a predicted slot of the same type
 *       overlapping a gold span counts).
 * </ol>
 *
 * <p>Lead signal: gold sales+presales positive, support negative, other left out (reported as
 * the share of "other" messages flagged as leads). Run from the repo root:
 * {@code mvn -q -o -pl udfs exec:java -Dexec.mainClass=dev.leadqual.udfs.tools.Evaluate [-Dexec.args=DATA_DIR]}.
 */
public final class Evaluate {
  private Evaluate() {}

  /** Counts for one evaluation. */
  static final class Score {
    int tp;
    int fp;
    int fn;
    int tn;
    int otherTotal;
    int otherFlagged;
    int fineTotal;
    int fineRight;
    int supportOnly;
    int supportFlagged;

    double precision() {
      return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    }

    double recall() {
      return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
    }

    double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    void add(Score s) {
      tp += s.tp;
      fp += s.fp;
      fn += s.fn;
      tn += s.tn;
      supportOnly += s.supportOnly;
      supportFlagged += s.supportFlagged;
      otherTotal += s.otherTotal;
      otherFlagged += s.otherFlagged;
      fineTotal += s.fineTotal;
      fineRight += s.fineRight;
    }

    String line(String name, int n) {
      return String.format(Locale.ROOT, "| %-34s | %6d | %5.3f | %5.3f | %5.3f | %6s | %6s | %6s |", name, n, precision(), recall(), f1(),
          supportOnly == 0 ? "-" : String.format(Locale.ROOT, "%.3f", (double) supportFlagged / supportOnly),
          otherTotal == 0 ? "-" : String.format(Locale.ROOT, "%.3f", (double) otherFlagged / otherTotal),
          fineTotal == 0 ? "-" : String.format(Locale.ROOT, "%.3f", (double) fineRight / fineTotal));
    }
  }

  private static final Map<String, Set<String>> CONVENTION_LABELS = Map.of(
      // presales labels whose messages ask about the customer's own PIN; support labels asking the same
      // fee / exchange-rate / where-does-my-card-work questions that exchange_charge and country_support
      // (and CLINC150's international_fees) label presales
      "banking77", Set.of("get_physical_card", "top_up_by_card_charge", "top_up_by_bank_transfer_charge", "exchange_rate", "card_acceptance",
          "atm_support"),
      // presales labels about the customer's own card APR / interest, or whether a third-party restaurant takes reservations
      "clinc150", Set.of("apr", "interest_rate", "accept_reservations"),
      // presales label whose messages are mostly unsubscribe requests
      "bitext_customer_support", Set.of("newsletter_subscription"));

  /**
   * A message whose gold category is a data-set convention that a model trained on the other sets
   * cannot learn (see EVALUATION.md, "Label conventions"): the labels above, and MultiDoGO turns
   * that are only slot values and dialogue-act words ("ok", "yes 2 lemonade", "meat eater") and
   * carry the dialogue's intent as their label. Used for the clearly labelled "excluding
   * conventions" figure only; the target's figure keeps every message.
   */
  static boolean convention(Datasets.Example e) {
    if ("multidogo".equals(e.dataset())) {
      return e.slotAnswer();
    }
    Set<String> labels = CONVENTION_LABELS.get(e.dataset());
    return labels != null && labels.contains(e.label());
  }

  static Score score(Understander u, List<Datasets.Example> examples, long now) {
    Score s = new Score();
    for (Datasets.Example e : examples) {
      if (e.category() == null) {
        continue;
      }
      Understanding x = u.understand(e.text(), "en", now);
      boolean predLead = x.isLeadSignal();
      boolean goldLead = "sales".equals(e.category()) || "presales".equals(e.category());
      if ("other".equals(e.category())) {
        s.otherTotal++;
        if (predLead) {
          s.otherFlagged++;
        }
      } else if (goldLead) {
        if (predLead) {
          s.tp++;
        } else {
          s.fn++;
        }
      } else {
        s.supportOnly++;
        if (predLead) {
          s.fp++;
          s.supportFlagged++;
        } else {
          s.tn++;
        }
      }
      if (e.fine() != null) {
        s.fineTotal++;
        if (e.fine().equals(x.intent())) {
          s.fineRight++;
        }
      }
    }
    return s;
  }

  /**
   * Args: [DATA_DIR] [--slots] (only the slot sections, ~1-2 min less) [--typos [--typos-on-train]]
   * (only the clean-versus-typos table, see {@link #typos}).
   */
  /**
   * Lead signal per conversation (MultiDoGO): a conversation is a lead if any of its turns is
   * labelled sales or presales (label_mapping.json's note), not a lead if it has support turns
   * and none of those, and left out otherwise; it is flagged if at least {@code minTurns} of its
   * turns are flagged as lead signals.
   */
  static Score conversationScore(Understander u, List<Datasets.Example> examples, long now, int minTurns) {
    Map<String, int[]> conv = new LinkedHashMap<>(); // gold lead turns, gold support turns, flagged turns
    for (Datasets.Example e : examples) {
      if (e.conversation() == null || e.category() == null) {
        continue;
      }
      int[] c = conv.computeIfAbsent(e.conversation(), k -> new int[3]);
      if ("sales".equals(e.category()) || "presales".equals(e.category())) {
        c[0]++;
      } else if ("support".equals(e.category())) {
        c[1]++;
      }
      if (u.understand(e.text(), "en", now).isLeadSignal()) {
        c[2]++;
      }
    }
    Score s = new Score();
    for (int[] c : conv.values()) {
      boolean pred = c[2] >= minTurns;
      if (c[0] > 0) {
        if (pred) {
          s.tp++;
        } else {
          s.fn++;
        }
      } else if (c[1] > 0) {
        s.supportOnly++;
        if (pred) {
          s.fp++;
          s.supportFlagged++;
        } else {
          s.tn++;
        }
      } else {
        s.otherTotal++;
        s.otherFlagged += pred ? 1 : 0;
      }
    }
    return s;
  }

  public static void main(String[] args) throws IOException {
    List<String> a = new ArrayList<>(List.of(args));
    boolean slotsOnly = a.remove("--slots");
    boolean typos = a.remove("--typos");
    String typoSplit = a.remove("--typos-on-train") ? "train" : "test";
    Path data = Datasets.locate(a.toArray(new String[0]));
    if (typos) {
      typos(new Datasets(data), typoSplit, System.out);
    } else if (slotsOnly) {
      slots(new Datasets(data), java.time.Instant.parse("2022-03-15T12:00:00Z").toEpochMilli(), System.out);
    } else {
      run(data, System.out);
    }
  }

  /** Seed and share of words of 5+ letters edited in the typo evaluation. */
  static final long TYPO_SEED = 42;
  static final double TYPO_RATE = 0.3;

  /**
   * Lead F1 and fine-intent accuracy of the committed understander on each set's split ("test":
   * the held-out splits of table 1; "train" for choices), clean and with typos ({@link Typos}: seed
   * {@link #TYPO_SEED}, {@link #TYPO_RATE} of the words of 5+ letters get one edit), with the
   * lexicon's typo tolerance off and on (same models).
   */
  static void typos(Datasets d, String split, PrintStream out) throws IOException {
    Map<String, List<Datasets.Example>> sets = new LinkedHashMap<>();
    sets.put("banking77", d.banking77());
    sets.put("clinc150", d.clinc150());
    sets.put("bitext_customer_support", d.bitext());
    sets.put("multidogo", d.multidogo());
    Understander on = Understander.loadDefault();
    Understander off = Understander.withModels(on.intentModel(), Understander.defaultTagger(), null, false);
    long now = java.time.Instant.parse("2022-03-15T12:00:00Z").toEpochMilli();
    out.println("### Typos: " + split + " splits, seed " + TYPO_SEED + ", " + Math.round(TYPO_RATE * 100)
        + "% of words of 5+ letters with one edit; tolerance off = " + off.modelId() + ", on = " + on.modelId());
    out.println("| data set / split | n | words edited | lead F1 clean, off | typos, off | clean, on | typos, on "
        + "| fine acc clean, off | typos, off | clean, on | typos, on |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    Score[] pooled = {new Score(), new Score(), new Score(), new Score()};
    int n = 0;
    long words = 0;
    long edited = 0;
    for (Map.Entry<String, List<Datasets.Example>> e : sets.entrySet()) {
      List<Datasets.Example> xs = e.getValue().stream().filter(x -> split.equals(x.split())).toList();
      List<Datasets.Example> ys = new ArrayList<>(xs.size());
      long w = 0;
      long ed = 0;
      for (Datasets.Example x : xs) {
        String t = Typos.inject(x.text(), TYPO_SEED, TYPO_RATE);
        for (String a : x.text().split("[^\\p{L}]+")) {
          w += a.length() >= Typos.MIN_LETTERS ? 1 : 0;
        }
        java.util.Set<String> before = new java.util.HashSet<>(List.of(x.text().split("[^\\p{L}]+")));
        for (String a : t.split("[^\\p{L}]+")) {
          ed += a.length() >= Typos.MIN_LETTERS - 1 && !before.contains(a) ? 1 : 0;
        }
        ys.add(new Datasets.Example(x.dataset(), x.split(), t, x.category(), x.fine(), x.wantsHuman(), x.conversation(), x.label(), x.slotAnswer()));
      }
      Score[] sc = {score(off, xs, now), score(off, ys, now), score(on, xs, now), score(on, ys, now)};
      out.println(typoLine(e.getKey() + " (" + split + ")", xs.size(), (double) ed / Math.max(1, w), sc));
      for (int i = 0; i < 4; i++) {
        pooled[i].add(sc[i]);
      }
      n += xs.size();
      words += w;
      edited += ed;
    }
    out.println(typoLine("**pooled**", n, (double) edited / Math.max(1, words), pooled));
  }

  private static String typoLine(String name, int n, double editedShare, Score[] sc) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %.2f |", name, n, editedShare));
    for (Score s : sc) {
      b.append(String.format(Locale.ROOT, " %.3f |", s.f1()));
    }
    for (Score s : sc) {
      b.append(String.format(Locale.ROOT, " %.3f |", (double) s.fineRight / Math.max(1, s.fineTotal)));
    }
    return b.toString();
  }

  public static void run(Path data, PrintStream out) throws IOException {
    Datasets d = new Datasets(data);
    Map<String, List<Datasets.Example>> sets = new LinkedHashMap<>();
    sets.put("banking77", d.banking77());
    sets.put("clinc150", d.clinc150());
    sets.put("bitext_customer_support", d.bitext());
    sets.put("multidogo", d.multidogo());
    List<Datasets.Example> seed = Datasets.seed();
    long now = java.time.Instant.parse("2022-03-15T12:00:00Z").toEpochMilli();
    String header = "| data set / split                   |      n | prec  |  rec  |  F1   | FP(sup)| lead(oth)| fine acc |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---:|";

    Understander committed = Understander.loadDefault();
    out.println("## Model " + committed.modelId());
    out.println();
    out.println("### 1. Held-out test splits, committed model (trained on all train splits + seed chats)");
    out.println(header);
    for (Map.Entry<String, List<Datasets.Example>> e : sets.entrySet()) {
      List<Datasets.Example> test = e.getValue().stream().filter(x -> "test".equals(x.split())).toList();
      out.println(score(committed, test, now).line(e.getKey() + " (test)", test.size()));
    }
    List<Datasets.Example> mdDev = sets.get("multidogo").stream().filter(x -> "test".equals(x.split())).toList();
    for (int k : new int[] {1, 2}) {
      Score cs = conversationScore(committed, mdDev, now, k);
      out.println(cs.line("multidogo (dev), per conversation, " + k + "+ turns", cs.tp + cs.fp + cs.fn + cs.tn + cs.otherTotal));
    }
    List<Datasets.Example> bankSupport = sets.get("banking77").stream()
        .filter(x -> "test".equals(x.split()) && "support".equals(x.category())).toList();
    Score bs = score(committed, bankSupport, now);
    out.printf(Locale.ROOT, "%nbanking77 support intents (test): false-positive rate %.3f (%d of %d)%n%n",
        (double) bs.supportFlagged / bs.supportOnly, bs.supportFlagged, bs.supportOnly);

    out.println("### 2. Cross-data-set: train on the other sets (+ seed chats), test on all of this set");
    out.println(header);
    Score pooled = new Score();
    int pooledN = 0;
    Score pooledLong = new Score();
    int pooledLongN = 0;
    Score pooledTest = new Score();
    int pooledTestN = 0;
    Score pooledConv = new Score();
    int pooledConvN = 0;
    Map<String, String> conv = new LinkedHashMap<>();
    for (String held : sets.keySet()) {
      List<Datasets.Example> train = new ArrayList<>(seed);
      for (Map.Entry<String, List<Datasets.Example>> e : sets.entrySet()) {
        if (!e.getKey().equals(held)) {
          e.getValue().stream().filter(x -> "train".equals(x.split())).forEach(train::add);
        }
      }
      HashedLinearModel m = Train.train(train);
      Understander u = Understander.withModel(m, null);
      List<Datasets.Example> test = sets.get(held);
      Score s = score(u, test, now);
      out.println(s.line(held + " (all, unseen set)", test.size()));
      pooled.add(s);
      pooledN += test.size();
      List<Datasets.Example> longer = test.stream().filter(x -> x.text().trim().split("\\s+").length >= 4).toList();
      pooledLong.add(score(u, longer, now));
      pooledLongN += longer.size();
      List<Datasets.Example> testSplit = test.stream().filter(x -> "test".equals(x.split())).toList();
      pooledTest.add(score(u, testSplit, now));
      pooledTestN += testSplit.size();
      List<Datasets.Example> transferable = test.stream().filter(x -> !convention(x)).toList();
      Score sc = score(u, transferable, now);
      conv.put(held, sc.line(held + " (all, unseen), excl. conventions", transferable.size()));
      pooledConv.add(sc);
      pooledConvN += transferable.size();
      if ("multidogo".equals(held)) {
        for (int k : new int[] {1, 2}) {
          Score cs = conversationScore(u, test, now, k);
          out.println(cs.line("multidogo, per conversation, " + k + "+ turns", cs.tp + cs.fp + cs.fn + cs.tn + cs.otherTotal));
        }
      }
      if ("banking77".equals(held)) {
        List<Datasets.Example> sup = test.stream().filter(x -> "support".equals(x.category())).toList();
        Score ss = score(u, sup, now);
        out.printf(Locale.ROOT, "|   banking77 support intents, unseen | %6d |       |       |       | %6.3f |        |        |%n",
            sup.size(), (double) ss.supportFlagged / ss.supportOnly);
      }
    }
    out.println(pooled.line("POOLED cross-data-set", pooledN));
    out.println(pooledLong.line("POOLED, messages of 4+ words", pooledLongN));
    out.println(pooledTest.line("POOLED, the sets' test splits only", pooledTestN));
    out.println();
    out.println("### 2a. Cross-data-set as in 2, EXCLUDING the label conventions that cannot transfer (EVALUATION.md, \"Label conventions\"; not the target's definition)");
    out.println(header);
    conv.values().forEach(out::println);
    out.println(pooledConv.line("POOLED excl. conventions", pooledConvN));
    out.println();

    out.println("### 2b. Talk to a human (bitext contact_human_agent vs all other bitext messages), committed model");
    int humanGold = 0;
    int humanHit = 0;
    int otherN = 0;
    int otherHit = 0;
    for (Datasets.Example e : sets.get("bitext_customer_support")) {
      boolean wants = committed.understand(e.text(), "en", now).wantsHuman();
      if (e.wantsHuman()) {
        humanGold++;
        humanHit += wants ? 1 : 0;
      } else {
        otherN++;
        otherHit += wants ? 1 : 0;
      }
    }
    out.printf(Locale.ROOT, "wants_human recall %.3f (%d of %d); flagged on other messages %.3f (%d of %d)%n%n",
        (double) humanHit / humanGold, humanHit, humanGold, (double) otherHit / otherN, otherHit, otherN);

    out.println("### 3. Rules only (cue lexicons, no model), all data");
    out.println(header);
    Understander rules = Understander.withModel(null, null);
    for (Map.Entry<String, List<Datasets.Example>> e : sets.entrySet()) {
      out.println(score(rules, e.getValue(), now).line(e.getKey() + " (all)", e.getValue().size()));
    }
    out.println();

    slots(d, now, out);
  }

  private static final String SLOT_HEADER = "| data set | slot | gold | predicted | prec | rec | F1 |\n|---|---|---:|---:|---:|---:|---:|";

  /** The slot sections: committed models on held-out splits, rules only, and the tagger across data sets. */
  static void slots(Datasets d, long now, PrintStream out) throws IOException {
    Map<String, List<Datasets.SlotExample>> held = new LinkedHashMap<>();
    held.put("nlupp (test folds 16-19)", d.nluppSlots("test"));
    held.put("multidogo (dev)", d.multidogoSlots("dev"));
    held.put("wnut17 (test)", d.wnutSlots("test"));
    held.put("wnut17 (test, lower-cased)", lowerCased(d.wnutSlots("test")));
    Understander committed = Understander.loadDefault();
    Understander rulesOnly = Understander.withModels(Understander.loadDefault().intentModel(), null, null);
    out.println("### 4. Slots, committed models (lenient span overlap, same slot type), held-out splits");
    out.println("The tagger " + Understander.defaultTagger().id() + " was trained on NLU++ folds 0-15, MultiDoGO train, WNUT17 train and the hand-written seed-entities.txt lines.");
    out.println();
    out.println(SLOT_HEADER);
    for (Map.Entry<String, List<Datasets.SlotExample>> e : held.entrySet()) {
      slotScores(committed, e.getKey(), e.getValue(), now, null, out);
    }
    out.println();
    out.println("### 4b. Names and companies from the rules alone (no tagger), same splits");
    out.println(SLOT_HEADER);
    Set<String> names = Set.of(SlotNames.NAME, SlotNames.COMPANY);
    for (Map.Entry<String, List<Datasets.SlotExample>> e : held.entrySet()) {
      slotScores(rulesOnly, e.getKey(), e.getValue(), now, names, out);
    }
    out.println();
    out.println("### 4c. Cross-data-set: tagger trained on the train splits of the two other sets (+ seed-entities.txt), tested on this set (rules + tagger)");
    out.println(SLOT_HEADER);
    Map<String, List<Datasets.SlotExample>> train = new LinkedHashMap<>();
    train.put("nlupp", d.nluppSlots("train"));
    train.put("multidogo", d.multidogoSlots("train"));
    train.put("wnut17", d.wnutSlots("train"));
    long[] vocab = Train.vocabulary(d);
    for (String test : train.keySet()) {
      List<List<Datasets.SlotExample>> others = new ArrayList<>();
      train.forEach((k, v) -> {
        if (!k.equals(test)) {
          others.add(v);
        }
      });
      EntityTagger tg = Train.trainTagger(Train.taggerRows(Train.withSeedEntities(Train.taggerExamples(others.get(0), others.get(1)))), vocab);
      Understander u = Understander.withModels(committed.intentModel(), tg, null);
      for (Map.Entry<String, List<Datasets.SlotExample>> e : held.entrySet()) {
        if (e.getKey().startsWith(test)) {
          slotScores(u, e.getKey() + ", unseen set", e.getValue(), now, names, out);
        }
      }
    }
    out.println();
  }

  private static List<Datasets.SlotExample> lowerCased(List<Datasets.SlotExample> xs) {
    return xs.stream().map(x -> new Datasets.SlotExample(x.dataset(), x.text().toLowerCase(Locale.ROOT), x.slots())).toList();
  }

  private static void slotScores(Understander u, String name, List<Datasets.SlotExample> examples, long now, Set<String> only,
      PrintStream out) {
    Map<String, int[]> c = new TreeMap<>(); // gold, pred, tpGold, tpPred
    java.util.Set<String> goldTypes = new java.util.HashSet<>();
    for (Datasets.SlotExample e : examples) {
      for (Datasets.GoldSlot g : e.slots()) {
        goldTypes.add(g.slot());
      }
    }
    for (Datasets.SlotExample e : examples) {
      Understanding x = u.understand(e.text(), "en", now);
      for (Datasets.GoldSlot g : e.slots()) {
        int[] k = c.computeIfAbsent(g.slot(), z -> new int[4]);
        k[0]++;
        for (Slot s : x.slots()) {
          if (s.name().equals(g.slot()) && s.start() < g.end() && g.start() < s.end()) {
            k[2]++;
            break;
          }
        }
      }
      for (Slot s : x.slots()) {
        if (!goldTypes.contains(s.name())) {
          continue;
        }
        int[] k = c.computeIfAbsent(s.name(), z -> new int[4]);
        k[1]++;
        for (Datasets.GoldSlot g : e.slots()) {
          if (s.name().equals(g.slot()) && s.start() < g.end() && g.start() < s.end()) {
            k[3]++;
            break;
          }
        }
      }
    }
    for (Map.Entry<String, int[]> e : c.entrySet()) {
      if (only != null && !only.contains(e.getKey())) {
        continue;
      }
      int[] k = e.getValue();
      double p = k[1] == 0 ? 0 : (double) k[3] / k[1];
      double r = k[0] == 0 ? 0 : (double) k[2] / k[0];
      double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
      out.printf(Locale.ROOT, "| %s | %s | %d | %d | %.3f | %.3f | %.3f |%n", name, e.getKey(), k[0], k[1], p, r, f);
    }
  }
}
