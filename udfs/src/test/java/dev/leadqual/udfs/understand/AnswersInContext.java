package dev.leadqual.udfs.understand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores the hand-written dialogue fixture {@code answers-in-context.tsv} (question asked → terse
 * answer → expected value of the asked slot) with and without the asked slot as context. Not a
 * benchmark: a small, hand-written check of what context adds. Run with
 * {@code java -cp ... dev.leadqual.udfs.understand.AnswersInContext} (test classpath).
 */
public final class AnswersInContext {
  static final String RESOURCE = "/dev/leadqual/udfs/understand/answers-in-context.tsv";
  static final long AT = Instant.parse("2026-03-10T09:15:00Z").toEpochMilli();

  record Row(String lang, String asked, String answer, String expected) {
    boolean negative() {
      return "-".equals(expected);
    }
  }

  /** Per row: the asked slot's value read with context and without ("-" when none). */
  record Scored(Row row, String withContext, String without) {
    boolean rightWith() {
      return row.expected().equals(withContext);
    }

    boolean rightWithout() {
      return row.expected().equals(without);
    }
  }

  static List<Row> rows() throws IOException {
    List<Row> rows = new ArrayList<>();
    try (InputStream in = AnswersInContext.class.getResourceAsStream(RESOURCE);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        rows.add(new Row(f[0], f[1], f[2], f[3]));
      }
    }
    return rows;
  }

  static List<Scored> score(Understander u) throws IOException {
    List<Scored> out = new ArrayList<>();
    for (Row row : rows()) {
      out.add(new Scored(row, value(u.understand(row.answer(), row.lang(), AT, row.asked()), row.asked()),
          value(u.understand(row.answer(), row.lang(), AT), row.asked())));
    }
    return out;
  }

  private static String value(Understanding x, String asked) {
    String slot = "contact".equals(asked) ? SlotNames.PHONE : asked;
    return x.slot(slot).map(Slot::value).orElse("-");
  }

  public static void main(String[] args) throws IOException {
    List<Scored> scored = score(Understander.loadDefault());
    Map<String, int[]> byLang = new TreeMap<>();
    Map<String, int[]> bySlot = new TreeMap<>();
    int[] all = new int[6];
    for (Scored s : scored) {
      for (int[] c : List.of(byLang.computeIfAbsent(s.row().lang(), k -> new int[6]),
          bySlot.computeIfAbsent(s.row().asked() + (s.row().negative() ? " (must stay empty)" : ""), k -> new int[6]), all)) {
        c[0]++;
        c[1] += s.rightWith() ? 1 : 0;
        c[2] += s.rightWithout() ? 1 : 0;
      }
      if (!s.rightWith()) {
        System.out.println("miss with context: " + s.row() + " -> " + s.withContext());
      }
    }
    System.out.println("| rows | n | right with context | right without context |");
    System.out.println("|---|---:|---:|---:|");
    byLang.forEach((k, c) -> System.out.printf("| %s | %d | %d | %d |%n", k, c[0], c[1], c[2]));
    bySlot.forEach((k, c) -> System.out.printf("| %s | %d | %d | %d |%n", k, c[0], c[1], c[2]));
    System.out.printf("| **all** | %d | %d (%.0f%%) | %d (%.0f%%) |%n", all[0], all[1], 100.0 * all[1] / all[0], all[2], 100.0 * all[2] / all[0]);
  }
}
