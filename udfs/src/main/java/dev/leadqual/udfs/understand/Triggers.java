package dev.leadqual.udfs.understand;

import dev.leadqual.udfs.text.Tokens;

/**
 * Word triggers that decide which (costly) patterns run and where. One hash lookup per token;
 * patterns whose trigger words are absent never run, and cue-anchored patterns run only at the
 * positions of their trigger words.
 */
final class Triggers {
  static final int MONTH = 1;
  static final int WEEKDAY = 1 << 1;
  static final int RELATIVE = 1 << 2;
  static final int UNIT = 1 << 3;
  static final int QUARTER = 1 << 4;
  static final int NAME_STRONG = 1 << 5;
  static final int NAME_WEAK = 1 << 6;
  static final int CO_STRONG = 1 << 7;
  static final int CO_WEAK = 1 << 8;
  static final int LEGAL = 1 << 9;
  static final int SPOKEN_AT = 1 << 10;
  static final int ORDINAL = 1 << 11;
  static final int YEAR = 1 << 12;
  static final int AGO = 1 << 13;
  static final int YEAR_CUE = 1 << 14;
  static final int TEAM = 1 << 15;

  private static final LongIntMap WORDS = new LongIntMap(1024);

  static {
    for (String m : Dates.MONTHS.keySet()) {
      add(MONTH, m);
    }
    for (String d : Dates.WEEKDAYS.keySet()) {
      add(WEEKDAY, d.split("-")[0]);
    }
    for (String p : Dates.RELATIVE.keySet()) {
      add(RELATIVE, p.split("[ '-]")[0]);
    }
    add(UNIT, "day", "days", "week", "weeks", "month", "months", "year", "years", "quarter", "quarters", "dia", "dias", "semana", "semanas",
        "mes", "meses", "ano", "anos", "tag", "tage", "tagen", "woche", "wochen", "monat", "monate", "monaten", "jahr", "jahre", "jahren",
        "quartal", "quartale", "quartalen", "jour", "jours", "semaine", "semaines", "mois", "an", "ans", "annee", "annees", "trimestre", "trimestres");
    add(QUARTER, "q1", "q2", "q3", "q4", "t1", "t2", "t3", "t4", "quarter", "trimestre", "quartal");
    add(AGO, "ago", "hace", "vor", "il", "ha", "faz");
    add(YEAR_CUE, "in", "by", "during", "since", "en", "para", "durante", "desde", "im", "bis", "seit", "wahrend", "d", "depuis", "em", "ate",
        "until", "before", "for");
    add(NAME_STRONG, "my", "name", "names", "call", "me", "mi", "ich", "mein", "je", "mon", "meu", "chamo");
    add(NAME_WEAK, "i", "im", "this", "it", "soy", "ich", "hier", "je", "c", "ici", "sou", "aqui");
    add(CO_STRONG, "i", "working", "company", "our", "my", "organization", "organisation", "employer", "trabajo", "de", "la", "mi", "nuestra",
        "empresa", "ich", "arbeite", "von", "bei", "unsere", "firma", "unternehmen", "je", "travaille", "notre", "l", "trabalho", "da", "a",
        "minha", "nossa");
    add(CO_WEAK, "from", "at", "with", "here", "on", "representing", "de", "von", "bei", "chez", "da", "do", "en", "na", "no");
    add(LEGAL, "inc", "llc", "l", "ltd", "limited", "gmbh", "ag", "s", "sa", "sl", "sas", "sarl", "ltda", "bv", "b", "plc", "corp", "corporation",
        "co", "oy", "ab", "spa", "pty", "group", "technologies", "solutions", "software", "systems", "labs", "consulting", "pvt", "company",
        "industries", "enterprises");
    add(TEAM, "team", "company", "equipo", "empresa", "firma", "equipe", "entreprise", "we", "re", "somos", "sind", "sommes");
    add(SPOKEN_AT, "at", "arroba", "chez", "at");
  }

  private static void add(int flag, String... words) {
    for (String w : words) {
      long h = Tokens.hashOf(w);
      WORDS.put(h, WORDS.get(h, 0) | flag);
    }
  }

  /** Per-token flags; returns the union in {@code union[0]}. */
  static int[] of(Tokens t, int[] union) {
    int[] f = new int[t.size];
    int all = 0;
    for (int i = 0; i < t.size; i++) {
      int v = WORDS.get(t.hash[i], 0);
      char c0 = t.chars[t.start[i]];
      if (c0 >= '0' && c0 <= '9') {
        int len = t.length(i);
        char last = t.chars[t.end[i] - 1];
        char prev = len >= 2 ? t.chars[t.end[i] - 2] : ' ';
        boolean ord = (prev == 's' && last == 't') || (prev == 'n' && last == 'd') || (prev == 'r' && last == 'd')
            || (prev == 't' && last == 'h') || (prev == 'e' && last == 'r') || (last == 'e' && prev >= '0' && prev <= '9');
        if (ord && len <= 4) {
          v |= ORDINAL;
        } else if (len == 4 && (c0 == '1' || c0 == '2')) {
          v |= YEAR;
        }
      }
      f[i] = v;
      all |= v;
    }
    union[0] = all;
    return f;
  }

  private Triggers() {}
}
