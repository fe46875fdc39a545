package dev.leadqual.udfs.bench;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import dev.leadqual.udfs.tools.Datasets;
import dev.leadqual.udfs.understand.Understander;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Lingua (low-accuracy and default high-accuracy mode, en/es/de/fr/pt only) against our hand-written
 * language detector (function-word lexicons + diacritics inside {@link Understander}): CPU time per
 * message, accuracy on language-labelled text, agreement, and Lingua's model load time and heap.
 * A tool, not a test (CI does not run it). Run from the repo root with
 * {@code mvn -q -o -pl udfs exec:exec -Dexec.classpathScope=test -Dexec.executable=java "-Dexec.args=-Xmx2g -cp %classpath dev.leadqual.udfs.bench.LanguageDetectionProbe"}
 * (optional argument: the data directory, default as in {@link Datasets#locate}).
 *
 * <p>CPU time, not wall time (the machine is shared). Lingua 1.2 scores the n-gram lengths as tasks
 * in the common ForkJoinPool, so the calling thread's CPU time alone undercounts it: the figures
 * add the CPU time of the common-pool worker threads over the same window.
 */
public final class LanguageDetectionProbe {
  private LanguageDetectionProbe() {}

  static final Language[] LANGUAGES = {Language.ENGLISH, Language.SPANISH, Language.GERMAN, Language.FRENCH, Language.PORTUGUESE};
  static final List<String> CODES = List.of("en", "es", "de", "fr", "pt");

  /** Short chat lines (hand-written for this probe), a few per language. */
  static final String[] SHORT = {
    "hi", "ok thanks", "yes please", "price?", "hola", "¿precio?", "gracias, perfecto", "hallo", "danke schön",
    "wie viel kostet das?", "bonjour", "merci beaucoup", "combien ça coûte ?", "olá", "obrigado", "quanto custa?",
  };

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final long SENT_AT = 1773134102000L;

  public static void main(String[] args) throws Exception {
    System.out.printf(Locale.ROOT, "load average at start: %.2f (2 cores)%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Understander ours = Understander.loadDefault();

    // ---- load time and heap (Lingua keeps its models in static caches: the default mode adds the
    // uni/bi/quadri/fivegram models to the trigram models the low-accuracy mode already loaded)
    long heap0 = usedHeapAfterGc();
    long w0 = System.nanoTime();
    long c0 = cpuWithPool();
    LanguageDetector low = LanguageDetectorBuilder.fromLanguages(LANGUAGES).withLowAccuracyMode().withPreloadedLanguageModels().build();
    long c1 = cpuWithPool();
    long w1 = System.nanoTime();
    long heap1 = usedHeapAfterGc();
    long w2 = System.nanoTime();
    LanguageDetector high = LanguageDetectorBuilder.fromLanguages(LANGUAGES).withPreloadedLanguageModels().build();
    long c2 = cpuWithPool();
    long w3 = System.nanoTime();
    long heap2 = usedHeapAfterGc();
    System.out.printf(Locale.ROOT, "Lingua low-accuracy build (trigram models, preloaded): %.0f ms CPU (%.0f ms wall), heap +%.1f MB%n",
        (c1 - c0) / 1e6, (w1 - w0) / 1e6, (heap1 - heap0) / 1048576.0);
    System.out.printf(Locale.ROOT, "Lingua default (high-accuracy) build on top (adds 1,2,4,5-gram models): %.0f ms CPU (%.0f ms wall), heap +%.1f MB (total for both modes +%.1f MB)%n",
        (c2 - c1) / 1e6, (w3 - w2) / 1e6, (heap2 - heap1) / 1048576.0, (heap2 - heap0) / 1048576.0);

    Map<String, Function<String, String>> detectors = new LinkedHashMap<>();
    detectors.put("ours", s -> ours.understand(s, null, SENT_AT).language());
    // ours with no evidence at all (no function word, no diacritic): it answers "en" with confidence 0.3
    detectors.put("ours, evidence only", s -> {
      var u = ours.understand(s, null, SENT_AT);
      return u.languageConfidence() == 0.3 ? "none" : u.language();
    });
    detectors.put("lingua-low", s -> code(low.detectLanguageOf(s)));
    detectors.put("lingua-high", s -> code(high.detectLanguageOf(s)));

    // ---- accuracy
    List<String[]> labelled = labelled(Datasets.locate(args));
    accuracy(labelled, detectors);

    // ---- CPU time per message: one block per detector (warm-up right before it), ours again at the
    // end to show how much the load moved meanwhile
    List<String> messages = new ArrayList<>(Arrays.asList(UnderstandingBenchmark.MESSAGES));
    messages.addAll(Arrays.asList(SHORT));
    int n = UnderstandingBenchmark.MESSAGES.length;
    System.out.printf(Locale.ROOT, "%nCPU time per call, us: calling thread + common-pool workers [calling thread alone]%n");
    for (String name : List.of("ours", "lingua-low", "lingua-high", "ours")) {
      Function<String, String> d = detectors.get(name);
      long until = cpuWithPool() + 5_000_000_000L; // warm-up: 5 s of CPU (2 s left the JIT unfinished at load 7)
      for (int i = 0; cpuWithPool() < until; i++) {
        for (int k = 0; k < 1000; k++) {
          d.apply(messages.get((i * 1000 + k) % messages.size()));
        }
      }
      double[] all = new double[messages.size()];
      double[] self = new double[messages.size()];
      StringBuilder lines = new StringBuilder();
      for (int m = 0; m < messages.size(); m++) {
        String msg = messages.get(m);
        long[] ids = poolWorkers();
        long t0 = THREADS.getCurrentThreadCpuTime();
        long p0 = cpuOf(ids);
        int calls = 0;
        long t1;
        do { // batches of 100 until 200 ms of calling-thread CPU
          for (int k = 0; k < 100; k++) {
            d.apply(msg);
          }
          calls += 100;
          t1 = THREADS.getCurrentThreadCpuTime();
        } while (t1 - t0 < 200_000_000L);
        long p1 = cpuOfWithNew(ids, p0);
        self[m] = (t1 - t0) / 1000.0 / calls;
        all[m] = (t1 - t0 + p1) / 1000.0 / calls;
        lines.append(String.format(Locale.ROOT, "  %-12s %9.2f [%9.2f]  %s%n", name, all[m], self[m], msg.substring(0, Math.min(50, msg.length()))));
      }
      System.out.print(lines);
      System.out.printf(Locale.ROOT,
          "%-12s median CPU us per message: benchmark messages %.2f [caller %.2f], short lines %.2f [caller %.2f], all %.2f [caller %.2f]; load average %.2f%n",
          name, median(Arrays.copyOfRange(all, 0, n)), median(Arrays.copyOfRange(self, 0, n)),
          median(Arrays.copyOfRange(all, n, all.length)), median(Arrays.copyOfRange(self, n, self.length)), median(all), median(self),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
    System.out.printf(Locale.ROOT, "load average at end: %.2f (2 cores)%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.exit(0);
  }

  /** {lang, source, text}: the hand-written seed chats (all five languages) and English samples of the public sets. */
  static List<String[]> labelled(Path dataDir) throws Exception {
    List<String[]> out = new ArrayList<>();
    try (InputStream in = Understander.class.getResourceAsStream("seed-chats.tsv");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        String[] f = line.split("\t");
        if (line.isBlank() || line.startsWith("#") || f.length < 3) {
          continue;
        }
        out.add(new String[] {f[0], "seed", f[2]});
      }
    }
    Datasets d = new Datasets(dataDir);
    sample(out, "banking77", d.banking77().stream().map(Datasets.Example::text).toList());
    sample(out, "clinc150", d.clinc150().stream().map(Datasets.Example::text).toList());
    sample(out, "bitext", d.bitext().stream().map(Datasets.Example::text).toList());
    sample(out, "multidogo", d.multidogo().stream().map(Datasets.Example::text).toList());
    sample(out, "nlupp", d.nluppSlots().stream().map(Datasets.SlotExample::text).toList());
    return out;
  }

  /** 300 evenly spaced English rows of one set (deterministic). */
  private static void sample(List<String[]> out, String source, List<String> texts) {
    int step = Math.max(1, texts.size() / 300);
    for (int i = 0; i < texts.size() && i / step < 300; i += step) {
      if (!texts.get(i).isBlank()) {
        out.add(new String[] {"en", source, texts.get(i)});
      }
    }
  }

  private static void accuracy(List<String[]> rows, Map<String, Function<String, String>> detectors) {
    // counts[detector][group] = {right, total}
    Map<String, Map<String, int[]>> counts = new LinkedHashMap<>();
    Map<String, int[]> agree = new LinkedHashMap<>();
    Map<String, String[]> firstMiss = new HashMap<>();
    for (String name : detectors.keySet()) {
      counts.put(name, new TreeMap<>());
    }
    for (String[] row : rows) {
      String gold = row[0];
      boolean shortLine = row[2].trim().split("\\s+").length <= 4;
      Map<String, String> got = new HashMap<>();
      for (var d : detectors.entrySet()) {
        String lang = d.getValue().apply(row[2]);
        got.put(d.getKey(), lang);
        boolean ok = gold.equals(lang);
        for (String g : List.of("all", "lang " + gold, "set " + row[1], shortLine ? "short (<=4 words)" : "long (>4 words)",
            "non-en " + (shortLine ? "short" : "long"))) {
          if (g.startsWith("non-en") && "en".equals(gold)) {
            continue;
          }
          int[] c = counts.get(d.getKey()).computeIfAbsent(g, k -> new int[2]);
          c[0] += ok ? 1 : 0;
          c[1]++;
        }
        if (!ok && d.getKey().startsWith("lingua") && gold.equals(got.get("ours"))) {
          firstMiss.putIfAbsent(d.getKey() + " wrong, ours right", new String[] {gold, lang, row[2]});
        }
        if (!ok && "ours".equals(d.getKey())) {
          firstMiss.putIfAbsent("ours wrong (" + gold + ")", new String[] {gold, lang, row[2]});
        }
      }
      for (String name : List.of("lingua-low", "lingua-high")) {
        int[] a = agree.computeIfAbsent(name + " vs ours", k -> new int[2]);
        a[0] += got.get(name).equals(got.get("ours")) ? 1 : 0;
        a[1]++;
      }
      int[] a = agree.computeIfAbsent("lingua-low vs lingua-high", k -> new int[2]);
      a[0] += got.get("lingua-low").equals(got.get("lingua-high")) ? 1 : 0;
      a[1]++;
    }
    System.out.printf(Locale.ROOT, "%naccuracy on %d language-labelled messages (right/total = accuracy)%n", rows.size());
    System.out.printf(Locale.ROOT, "%-20s", "group");
    for (String name : detectors.keySet()) {
      System.out.printf(Locale.ROOT, "%-24s", name);
    }
    System.out.println();
    for (String g : counts.get("ours").keySet()) {
      System.out.printf(Locale.ROOT, "%-20s", g);
      for (String name : detectors.keySet()) {
        int[] c = counts.get(name).get(g);
        System.out.printf(Locale.ROOT, "%-24s", String.format(Locale.ROOT, "%d/%d = %.3f", c[0], c[1], c[0] / (double) c[1]));
      }
      System.out.println();
    }
    for (var e : agree.entrySet()) {
      System.out.printf(Locale.ROOT, "agreement %s: %d/%d = %.3f%n", e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[0] / (double) e.getValue()[1]);
    }
    for (var e : new TreeMap<>(firstMiss).entrySet()) {
      System.out.printf(Locale.ROOT, "example, %s: gold %s, got %s: %s%n", e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]);
    }
  }

  static String code(Language l) {
    int i = Arrays.asList(LANGUAGES).indexOf(l);
    return i < 0 ? "und" : CODES.get(i);
  }

  /** CPU time of this thread plus the common ForkJoinPool's workers (Lingua runs tasks there). */
  private static long cpuWithPool() {
    return THREADS.getCurrentThreadCpuTime() + cpuOf(poolWorkers());
  }

  private static long[] poolWorkers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("ForkJoinPool.commonPool-worker"))
        .mapToLong(Thread::getId).toArray();
  }

  private static long cpuOf(long[] ids) {
    long sum = 0;
    for (long id : ids) {
      long c = THREADS.getThreadCpuTime(id);
      sum += Math.max(0, c);
    }
    return sum;
  }

  /** CPU time the pool's workers used since {@code before} (taken over {@code ids}); workers started meanwhile count from 0. */
  private static long cpuOfWithNew(long[] ids, long before) {
    long[] now = poolWorkers();
    long sum = cpuOf(now) - before;
    // a worker in ids that ended meanwhile loses its time: rare (workers idle out after 60 s)
    return Math.max(0, sum);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
