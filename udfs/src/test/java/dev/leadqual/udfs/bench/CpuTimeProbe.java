package dev.leadqual.udfs.bench;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.udfs.normalise.ChatNormaliser;
import dev.leadqual.udfs.understand.Understander;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Per-message CPU time (not wall time) of normalise + understand for each benchmark message, and
 * the median over messages. On a shared, loaded machine JMH's wall-clock samples include time the
 * thread was descheduled; thread CPU time does not. Run with
 * {@code mvn -q -pl udfs exec:exec -Dexec.classpathScope=test -Dexec.executable=java "-Dexec.args=-cp %classpath dev.leadqual.udfs.bench.CpuTimeProbe"}.
 */
public final class CpuTimeProbe {
  private CpuTimeProbe() {}

  public static void main(String[] args) throws Exception {
    Understander u = Understander.loadDefault();
    // the same without the entity tagger, measured alongside: the tagger's own cost under the same load
    Understander noTagger = Understander.withModels(u.intentModel(), null, null);
    // the same without the lexicon's typo tolerance, measured alongside: its own cost under the same load
    Understander noTypos = Understander.withModels(u.intentModel(), Understander.defaultTagger(), null, false);
    ChatNormaliser n = ChatNormaliser.create();
    byte[][] payloads = UnderstandingBenchmark.payloads();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    for (int i = 0; i < 300_000; i++) {
      step(u, n, payloads[i % payloads.length]);
      noTagger.understand(UnderstandingBenchmark.MESSAGES[i % payloads.length], null, 1773134102000L);
      noTypos.understand(UnderstandingBenchmark.MESSAGES[i % payloads.length], null, 1773134102000L);
    }
    double[] understandOnly = new double[payloads.length];
    double[] whole = new double[payloads.length];
    double[] without = new double[payloads.length];
    double[] strict = new double[payloads.length];
    double[] tolerant = new double[payloads.length];
    for (int k = 0; k < payloads.length; k++) {
      String m = UnderstandingBenchmark.MESSAGES[k];
      long c0 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < rounds; i++) {
        u.understand(m, null, 1773134102000L);
      }
      long c1 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < rounds; i++) {
        step(u, n, payloads[k]);
      }
      long c2 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < rounds; i++) {
        noTagger.understand(m, null, 1773134102000L);
      }
      long c3 = threads.getCurrentThreadCpuTime();
      // typo tolerance off and on, in alternating blocks (the load changes less within a block pair)
      long off = 0;
      long on = 0;
      for (int b = 0; b < 10; b++) {
        long d0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds / 10; i++) {
          noTypos.understand(m, null, 1773134102000L);
        }
        long d1 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds / 10; i++) {
          u.understand(m, null, 1773134102000L);
        }
        long d2 = threads.getCurrentThreadCpuTime();
        off += d1 - d0;
        on += d2 - d1;
      }
      strict[k] = off / 1000.0 / (rounds / 10 * 10);
      tolerant[k] = on / 1000.0 / (rounds / 10 * 10);
      understandOnly[k] = (c1 - c0) / 1000.0 / rounds;
      whole[k] = (c2 - c1) / 1000.0 / rounds;
      without[k] = (c3 - c2) / 1000.0 / rounds;
      System.out.printf(Locale.ROOT, "%8.2f us understand  %8.2f us normalise+understand  %8.2f us understand w/o tagger  "
              + "%8.2f / %8.2f us typo tolerance off / on  %s%n",
          understandOnly[k], whole[k], without[k], strict[k], tolerant[k], m.substring(0, Math.min(60, m.length())));
    }
    System.out.printf(Locale.ROOT,
        "median over messages: understand %.2f us, normalise+understand %.2f us, understand without the entity tagger %.2f us, "
            + "understand with the typo tolerance off / on (alternating blocks) %.2f / %.2f us (CPU time per message)%n",
        median(understandOnly), median(whole), median(without), median(strict), median(tolerant));
  }

  private static Object step(Understander u, ChatNormaliser n, byte[] payload) throws Exception {
    ChatEvent e = n.normalise(payload).get(0);
    return u.understand(e.getText(), e.getLocale(), e.getSentAt().toEpochMilli());
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
