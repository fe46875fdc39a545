package dev.leadqual.udfs.understand;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds dates and time expressions in folded text (en, es, de, fr, pt) and resolves them against
 * the message date. Period expressions ("next month", "Q3", "in March") resolve to the period's
 * last day (deadline reading); day expressions to that day.
 */
final class Dates {
  static final Map<String, Integer> MONTHS = new HashMap<>();
  static final Map<String, DayOfWeek> WEEKDAYS = new HashMap<>();

  static {
    String[][] m = {
      {"january", "jan", "enero", "ene", "januar", "janner", "janvier", "janeiro"},
      {"february", "feb", "febrero", "februar", "fevrier", "fevereiro", "fev"},
      {"march", "mar", "marzo", "marz", "mars", "marco"},
      {"april", "apr", "abril", "abr", "avril"},
      {"may", "mayo", "mai", "maio"},
      {"june", "jun", "junio", "juni", "juin", "junho"},
      {"july", "jul", "julio", "juli", "juillet", "julho"},
      {"august", "aug", "agosto", "ago", "aout"},
      {"september", "sep", "sept", "septiembre", "setiembre", "septembre", "setembro", "set"},
      {"october", "oct", "octubre", "oktober", "okt", "octobre", "outubro", "out"},
      {"november", "nov", "noviembre", "novembre", "novembro"},
      {"december", "dec", "diciembre", "dic", "dezember", "dez", "decembre", "dezembro"}
    };
    for (int i = 0; i < m.length; i++) {
      for (String s : m[i]) {
        MONTHS.put(s, i + 1);
      }
    }
    String[][] d = {
      {"monday", "mon", "lunes", "montag", "lundi", "segunda", "segunda-feira"},
      {"tuesday", "tue", "tues", "martes", "dienstag", "mardi", "terca", "terca-feira"},
      {"wednesday", "wed", "miercoles", "mittwoch", "mercredi", "quarta", "quarta-feira"},
      {"thursday", "thu", "thurs", "jueves", "donnerstag", "jeudi", "quinta", "quinta-feira"},
      {"friday", "fri", "viernes", "freitag", "vendredi", "sexta", "sexta-feira"},
      {"saturday", "sat", "sabado", "samstag", "samedi"},
      {"sunday", "sun", "domingo", "sonntag", "dimanche"}
    };
    for (int i = 0; i < d.length; i++) {
      for (String s : d[i]) {
        WEEKDAYS.put(s, DayOfWeek.of(i + 1));
      }
    }
  }

  private static final String MONTH_RE =
      "(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
          + "|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
          + "|januar|februar|marz|juni|juli|oktober|dezember"
          + "|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
          + "|janeiro|fevereiro|marco|maio|junho|julho|setembro|outubro|novembro|dezembro)";
  private static final String WEEKDAY_RE =
      "(monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miercoles|jueves|viernes|sabado|domingo"
          + "|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
          + "|segunda(?:-feira)?|terca(?:-feira)?|quarta(?:-feira)?|quinta(?:-feira)?|sexta(?:-feira)?)";
  private static final String NUMW =
      "(\\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an|a couple of|couple of|a few|few"
          + "|un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce|unos|unas"
          + "|ein|eine|einem|einer|zwei|drei|vier|funf|sechs|sieben|acht|neun|zehn|zwolf"
          + "|une|deux|trois|quatre|cinq|sept|huit|neuf|dix|douze"
          + "|um|uma|dois|duas|quatro|sete|oito|nove|dez)";
  private static final String UNIT_RE =
      "(days?|weeks?|months?|years?|quarters?|dias?|semanas?|mes|meses|anos?|tagen?|wochen?|monaten?|monate|jahren?|jahre|quartale?n?"
          + "|jours?|semaines?|mois|ans|annees?|trimestres?)";

  static final Pattern ISO = Pattern.compile("\\b(20\\d\\d)-(\\d{1,2})-(\\d{1,2})\\b");
  static final Pattern NUMERIC = Pattern.compile("\\b(\\d{1,2})[/.](\\d{1,2})(?:[/.](\\d{4}|\\d{2}))?\\b(?![.,/]?\\d)");
  static final Pattern DAY_MONTH = Pattern.compile(
      "\\b(\\d{1,2})(?:st|nd|rd|th|º|er|e|\\.)?(?:\\s+(?:de|of|del))?\\s+" + MONTH_RE + "\\b(?:\\.?,?\\s+(?:de\\s+)?(20\\d\\d))?");
  static final Pattern MONTH_DAY = Pattern.compile(
      "\\b" + MONTH_RE + "\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?!\\s*(?:k|%|users|seats|people|employees))(?:,?\\s+(20\\d\\d))?");
  static final Pattern MONTH_ONLY = Pattern.compile(
      "\\b(?:in|by|until|till|before|from|en|para|hasta|antes de|desde|im|bis|ab|vor|dans|d'ici|avant|jusqu'en|en|em|ate|antes de|a partir de|de)\\s+"
          + "(?:(?:early|mid|late|end of|the end of|fin de|finales de|principios de|ende|anfang|mitte|debut|fin|inicio de|final de|meados de)\\s+)?"
          + MONTH_RE + "\\b(?:\\s+(?:de\\s+)?(20\\d\\d))?"
          + "|\\b" + MONTH_RE + "\\s+(20\\d\\d)\\b");
  static final Pattern QUARTER = Pattern.compile(
      "\\b(?:q|t)([1-4])(?:\\s*[/-]?\\s*'?(20\\d\\d|\\d\\d))?\\b"
          + "|\\b(first|second|third|fourth|1st|2nd|3rd|4th|primer|segundo|tercer|cuarto|erstes|zweites|drittes|viertes|ersten|zweiten|dritten|vierten"
          + "|premier|deuxieme|second|troisieme|quatrieme|primeiro|terceiro|quarto)\\s+(?:quarter|trimestre|quartal)\\b");
  static final Pattern IN_N = Pattern.compile(
      "\\b(?:in|within|in the next|over the next|en|dentro de|en los proximos|en las proximas|innerhalb von|innerhalb|binnen|in den nachsten|dans|d'ici|sous|dans les|em|dentro de|nos proximos|nas proximas)\\s+"
          + NUMW + "\\s+" + UNIT_RE + "\\b");
  static final Pattern WEEKDAY = Pattern.compile(
      "\\b(?:(next|this|coming|on|el|el proximo|este|proximo|proxima|nachsten|nachster|kommenden|diesen|am|ce|prochain|na|nesta|no|esta)\\s+)?"
          + WEEKDAY_RE + "\\b(?:\\s+(prochain|que vem|proximo|proxima|que viene))?");
  static final Pattern YEAR = Pattern.compile("\\b(?:in|by|during|since|en|para|durante|desde|im|bis|seit|wahrend|d'ici|depuis|em|ate|until|before|for)\\s+((?:19|20)\\d\\d)\\b");
  static final Pattern AGO = Pattern.compile(
      "\\b" + NUMW + "\\s+" + UNIT_RE + "\\s+ago\\b|\\b(?:hace|vor|il y a|ha|faz)\\s+" + NUMW + "\\s+" + UNIT_RE + "\\b");
  static final Pattern ORDINAL_DAY = Pattern.compile(
      "\\b(?:the|on the|el dia|el|am|le|dia|no dia)\\s+(\\d{1,2})(?:st|nd|rd|th|er|º|\\.)(?=\\s|$|[,.?!])(?!\\s+(?:of\\s+)?(?:" + MONTH_RE.substring(1) + ")"
          + "|\\b" + MONTH_RE + "\\s+the\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4}))?");

  /** Fixed relative phrases (folded). */
  static final Map<String, String> RELATIVE = new HashMap<>();
  static final Pattern RELATIVE_RE;

  static {
    // bare "now" (jetzt, ahora, agora, maintenant) and "right now" are not here: in chats they are
    // discourse words ("I'm off now", "right now we use Excel", "now what do I do") far more often
    // than a deadline (NLU++: 25 of 68 false timelines); "asap", "immediately", "ahora mismo" stay
    put("D0", "today", "tonight", "asap", "as soon as possible", "immediately", "right away", "this afternoon", "this morning",
        "hoy", "ahora mismo", "cuanto antes", "lo antes posible", "inmediatamente", "esta tarde", "esta manana",
        "heute", "sofort", "so schnell wie moglich", "umgehend", "heute nachmittag",
        "aujourd'hui", "immediatement", "des que possible", "au plus vite", "tout de suite", "cet apres-midi",
        "hoje", "o quanto antes", "imediatamente", "o mais rapido possivel", "hoje a tarde");
    put("P1", "yesterday", "ayer", "gestern", "hier", "ontem", "last night", "anoche", "gestern abend");
    put("PW", "last week", "previous week", "la semana pasada", "semana pasada", "letzte woche", "letzten woche", "vorige woche", "la semaine derniere",
        "semaine derniere", "semana passada", "na semana passada");
    put("PM", "last month", "previous month", "el mes pasado", "mes pasado", "letzten monat", "letzter monat", "vorigen monat", "le mois dernier",
        "mois dernier", "mes passado", "no mes passado");
    put("PY", "last year", "previous year", "el ano pasado", "ano pasado", "letztes jahr", "letzten jahr", "vorjahr", "l'annee derniere",
        "annee derniere", "ano passado", "no ano passado");
    put("M0", "current month");
    put("Y0", "current year");
    put("D1", "tomorrow", "manana", "morgen", "demain", "amanha");
    put("D2", "day after tomorrow", "pasado manana", "ubermorgen", "apres-demain", "depois de amanha");
    put("W0", "this week", "end of the week", "end of this week", "by the end of the week", "esta semana", "fin de semana", "diese woche", "ende der woche",
        "cette semaine", "fin de semaine", "fin de la semaine", "esta semana", "fim da semana", "nesta semana");
    put("W1", "next week", "the coming week", "la proxima semana", "la semana que viene", "proxima semana", "nachste woche", "nachsten woche", "kommende woche",
        "la semaine prochaine", "semaine prochaine", "na proxima semana", "semana que vem");
    put("M0", "this month", "end of the month", "end of this month", "end of month", "este mes", "fin de mes", "finales de mes", "diesen monat", "ende des monats",
        "monatsende", "ce mois-ci", "ce mois", "fin du mois", "fin de mois", "este mes", "fim do mes", "neste mes");
    put("M1", "next month", "el proximo mes", "el mes que viene", "proximo mes", "nachsten monat", "nachster monat", "kommenden monat", "le mois prochain", "mois prochain",
        "no proximo mes", "mes que vem");
    put("Q0", "this quarter", "end of the quarter", "end of quarter", "end of this quarter", "este trimestre", "fin de trimestre", "dieses quartal", "diesem quartal",
        "ende des quartals", "quartalsende", "ce trimestre", "fin du trimestre", "neste trimestre", "fim do trimestre");
    put("Q1", "next quarter", "el proximo trimestre", "proximo trimestre", "nachstes quartal", "nachsten quartal", "le trimestre prochain", "trimestre prochain",
        "no proximo trimestre");
    put("Y0", "this year", "end of the year", "end of year", "end of this year", "by year end", "year end", "este ano", "fin de ano", "finales de ano", "dieses jahr",
        "diesem jahr", "ende des jahres", "jahresende", "cette annee", "fin d'annee", "fin de l'annee", "neste ano", "fim do ano", "final do ano");
    put("Y1", "next year", "el proximo ano", "el ano que viene", "proximo ano", "nachstes jahr", "nachsten jahr", "l'annee prochaine", "annee prochaine",
        "no proximo ano", "ano que vem");
    StringBuilder sb = new StringBuilder("\\b(");
    RELATIVE.keySet().stream().sorted((a, b) -> b.length() - a.length())
        .forEach(k -> sb.append(Pattern.quote(k)).append('|'));
    sb.setLength(sb.length() - 1);
    sb.append(")\\b");
    RELATIVE_RE = Pattern.compile(sb.toString());
  }

  private static void put(String op, String... phrases) {
    for (String p : phrases) {
      RELATIVE.put(p, op);
    }
  }

  /** A found date: span in the text, resolved day, and how sure we are. */
  record Found(int start, int end, LocalDate date, double confidence) {}

  static void find(String s, LocalDate today, boolean dayFirst, dev.leadqual.udfs.text.Tokens t, int[] tf, int all, List<Found> out) {
    Matcher m;
    if ((all & Triggers.YEAR) != 0 && s.indexOf('-') >= 0) {
    m = Rx.m(ISO, s);
    while (m.find()) {
      LocalDate d = safe(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
      if (d != null) {
        add(out, m.start(), m.end(), d, 0.95);
      }
    }
    }
    if (s.indexOf('/') >= 0 || s.indexOf('.') >= 0) {
    m = Rx.m(NUMERIC, s);
    while (m.find()) {
      int a = Integer.parseInt(m.group(1));
      int b = Integer.parseInt(m.group(2));
      boolean hasYear = m.group(3) != null;
      int y = hasYear ? year(m.group(3)) : today.getYear();
      boolean slash = s.charAt(m.start(1) + m.group(1).length()) == '/';
      if (!hasYear && !slash) {
        continue; // "1.5" is a number, not a date
      }
      LocalDate d = dayFirst ? safe(y, b, a) : safe(y, a, b);
      if (d == null) {
        d = dayFirst ? safe(y, a, b) : safe(y, b, a);
      }
      if (d != null) {
        if (!hasYear && d.isBefore(today.minusDays(30))) {
          d = d.plusYears(1);
        }
        add(out, m.start(), m.end(), d, hasYear ? 0.9 : 0.7);
      }
    }
    }
    if ((all & Triggers.MONTH) != 0) {
    m = Rx.m(DAY_MONTH, s);
    while (m.find()) {
      int day = Integer.parseInt(m.group(1));
      int month = MONTHS.get(m.group(2));
      LocalDate d = withYear(today, m.group(3), month, day);
      if (d != null) {
        add(out, m.start(), m.end(), d, 0.9);
      }
    }
    m = Rx.m(MONTH_DAY, s);
    while (m.find()) {
      int month = MONTHS.get(m.group(1));
      int day = Integer.parseInt(m.group(2));
      if ("may".equals(m.group(1)) || "mar".equals(m.group(1)) || "set".equals(m.group(1)) || "out".equals(m.group(1))) {
        if (m.start() > 0 && Character.isLetter(s.charAt(Math.max(0, m.start() - 1)))) {
          continue;
        }
      }
      LocalDate d = withYear(today, m.group(3), month, day);
      if (d != null) {
        add(out, m.start(), m.end(), d, 0.85);
      }
    }
    m = Rx.m(MONTH_ONLY, s);
    while (m.find()) {
      String mon = m.group(1) != null ? m.group(1) : m.group(3);
      String yr = m.group(1) != null ? m.group(2) : m.group(4);
      if ("mar".equals(mon) || "set".equals(mon) || "out".equals(mon) || "sun".equals(mon)) {
        continue;
      }
      int month = MONTHS.get(mon);
      int y = yr != null ? Integer.parseInt(yr) : today.getYear();
      YearMonth ym = YearMonth.of(y, month);
      if (yr == null && ym.atEndOfMonth().isBefore(today)) {
        ym = ym.plusYears(1);
      }
      add(out, m.start(), m.end(), ym.atEndOfMonth(), 0.8);
    }
    }
    if ((all & Triggers.QUARTER) != 0) {
    m = Rx.m(QUARTER, s);
    while (m.find()) {
      int q;
      String yr = null;
      if (m.group(1) != null) {
        q = Integer.parseInt(m.group(1));
        yr = m.group(2);
      } else {
        String w = m.group(3);
        q = w.startsWith("f") && !w.startsWith("fo") || w.startsWith("1") || w.startsWith("prim") || w.startsWith("erst") || w.startsWith("prem") ? 1
            : w.startsWith("sec") || w.startsWith("2") || w.startsWith("seg") || w.startsWith("zwei") || w.startsWith("deux") ? 2
            : w.startsWith("th") || w.startsWith("3") || w.startsWith("ter") || w.startsWith("dri") || w.startsWith("troi") ? 3 : 4;
      }
      int y = yr == null ? today.getYear() : year(yr);
      LocalDate end = LocalDate.of(y, q * 3, 1).with(TemporalAdjusters.lastDayOfMonth());
      if (yr == null && end.isBefore(today)) {
        end = end.plusYears(1).with(TemporalAdjusters.lastDayOfMonth());
      }
      add(out, m.start(), m.end(), end, 0.85);
    }
    }
    m = Rx.m(RELATIVE_RE, s);
    for (int ti = 0; ti < t.size && (all & Triggers.RELATIVE) != 0; ti++) {
      if ((tf[ti] & Triggers.RELATIVE) == 0) {
        continue;
      }
      m.region(t.start[ti], s.length());
      if (!m.lookingAt()) {
        continue;
      }
      String p = m.group(1);
      if (("morgen".equals(p) && preceded(s, m.start(), "guten")) || ("manana".equals(p) && (preceded(s, m.start(), "la") || preceded(s, m.start(), "esta") || preceded(s, m.start(), "por")))) {
        continue;
      }
      String op = RELATIVE.get(p);
      add(out, m.start(), m.end(), resolve(op, today), 0.85);
    }
    if ((all & Triggers.UNIT) != 0) {
    m = Rx.m(IN_N, s);
    while (m.find()) {
      int n = numberWord(m.group(1));
      String u = m.group(2);
      LocalDate d;
      if (u.startsWith("d") || u.startsWith("j") || u.startsWith("tag")) {
        d = today.plusDays(n);
      } else if (u.startsWith("w") || u.startsWith("sem")) {
        d = today.plusWeeks(n);
      } else if (u.startsWith("q") || u.startsWith("tri")) {
        d = today.plusMonths(3L * n);
      } else if (u.startsWith("y") || u.startsWith("an") || u.startsWith("jahr")) {
        d = today.plusYears(n);
      } else {
        d = today.plusMonths(n);
      }
      add(out, m.start(), m.end(), d, 0.85);
    }
    }
    if ((all & Triggers.WEEKDAY) != 0) {
    m = Rx.m(WEEKDAY, s);
    while (m.find()) {
      String wd = m.group(2);
      String mod = m.group(1);
      if (mod == null && m.group(3) == null && (wd.equals("segunda") || wd.equals("quinta") || wd.equals("sexta") || wd.equals("quarta") || wd.equals("terca"))) {
        continue; // also ordinary words in pt
      }
      DayOfWeek dow = WEEKDAYS.get(wd);
      LocalDate d = today.with(TemporalAdjusters.next(dow));
      boolean next = mod != null && (mod.startsWith("next") || mod.startsWith("nachst") || mod.equals("proximo") || mod.equals("proxima") || mod.equals("el proximo"))
          || m.group(3) != null;
      if (next && d.isBefore(today.plusDays(7)) && d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR) == today.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)) {
        d = d.plusWeeks(1);
      }
      add(out, m.start(), m.end(), d, mod == null ? 0.7 : 0.85);
    }
    }
    if ((all & Triggers.UNIT) != 0 && (all & Triggers.AGO) != 0) {
    m = Rx.m(AGO, s);
    while (m.find()) {
      String nw = m.group(1) != null ? m.group(1) : m.group(3);
      String u = m.group(1) != null ? m.group(2) : m.group(4);
      int n = numberWord(nw);
      LocalDate d = u.startsWith("d") || u.startsWith("j") || u.startsWith("tag") ? today.minusDays(n)
          : u.startsWith("w") || u.startsWith("sem") ? today.minusWeeks(n)
          : u.startsWith("y") || u.startsWith("an") || u.startsWith("jahr") ? today.minusYears(n) : today.minusMonths(n);
      add(out, m.start(), m.end(), d, 0.85);
    }
    }
    if ((all & (Triggers.ORDINAL | Triggers.MONTH)) != 0) {
    m = Rx.m(ORDINAL_DAY, s);
    while (m.find()) {
      LocalDate d;
      if (m.group(1) != null) {
        int day = Integer.parseInt(m.group(1));
        d = safe(today.getYear(), today.getMonthValue(), day);
        if (d != null && d.isBefore(today)) {
          d = safe(today.plusMonths(1).getYear(), today.plusMonths(1).getMonthValue(), day);
        }
      } else {
        d = withYear(today, m.group(4), MONTHS.get(m.group(2)), Integer.parseInt(m.group(3)));
      }
      if (d != null) {
        add(out, m.start(), m.end(), d, 0.75);
      }
    }
    }
    if ((all & Triggers.YEAR) != 0 && (all & Triggers.YEAR_CUE) != 0) {
    m = Rx.m(YEAR, s);
    while (m.find()) {
      add(out, m.start(), m.end(), LocalDate.of(Integer.parseInt(m.group(1)), 12, 31), 0.75);
    }
    }
  }

  private static boolean preceded(String s, int at, String word) {
    int e = at - 1;
    while (e >= 0 && s.charAt(e) == ' ') {
      e--;
    }
    int b = e - word.length() + 1;
    return b >= 0 && s.startsWith(word, b) && (b == 0 || !Character.isLetter(s.charAt(b - 1)));
  }

  private static void add(List<Found> out, int s, int e, LocalDate d, double conf) {
    for (int i = 0; i < out.size(); i++) {
      Found f = out.get(i);
      if (s < f.end() && f.start() < e) {
        if (e - s > f.end() - f.start()) {
          out.set(i, new Found(s, e, d, conf));
        }
        return;
      }
    }
    out.add(new Found(s, e, d, conf));
  }

  static LocalDate resolve(String op, LocalDate today) {
    switch (op) {
      case "D0": return today;
      case "P1": return today.minusDays(1);
      case "PW": return today.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY)).minusWeeks(today.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : 0);
      case "PM": return today.minusMonths(1).with(TemporalAdjusters.lastDayOfMonth());
      case "PY": return today.minusYears(1).with(TemporalAdjusters.lastDayOfYear());
      case "D1": return today.plusDays(1);
      case "D2": return today.plusDays(2);
      case "W0": return today.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
      case "W1": return today.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY)).plusWeeks(1);
      case "M0": return today.with(TemporalAdjusters.lastDayOfMonth());
      case "M1": return today.plusMonths(1).with(TemporalAdjusters.lastDayOfMonth());
      case "Q0": return quarterEnd(today);
      case "Q1": return quarterEnd(today.plusMonths(3));
      case "Y0": return today.with(TemporalAdjusters.lastDayOfYear());
      case "Y1": return today.plusYears(1).with(TemporalAdjusters.lastDayOfYear());
      default: throw new IllegalArgumentException(op);
    }
  }

  static LocalDate quarterEnd(LocalDate d) {
    int q = (d.getMonthValue() - 1) / 3 + 1;
    return LocalDate.of(d.getYear(), q * 3, 1).with(TemporalAdjusters.lastDayOfMonth());
  }

  /** now (within 14 days), this_quarter, this_year or later. */
  static String bucket(LocalDate d, LocalDate today) {
    if (!d.isAfter(today.plusDays(14))) {
      return "now";
    }
    if (!d.isAfter(quarterEnd(today))) {
      return "this_quarter";
    }
    if (d.getYear() == today.getYear()) {
      return "this_year";
    }
    return "later";
  }

  private static int numberWord(String w) {
    if (Character.isDigit(w.charAt(0))) {
      return Integer.parseInt(w);
    }
    if (w.contains("couple")) {
      return 2;
    }
    if (w.contains("few")) {
      return 3;
    }
    switch (w) {
      case "tres": return 3;
      case "six": return 6;
      case "seis": return 6;
      case "unos": case "unas": return 2;
      default:
        Integer n = Numbers.WORDS.get(w);
        return n == null ? 1 : n;
    }
  }

  private static int year(String y) {
    int v = Integer.parseInt(y);
    return v < 100 ? 2000 + v : v;
  }

  private static LocalDate withYear(LocalDate today, String yr, int month, int day) {
    int y = yr == null ? today.getYear() : Integer.parseInt(yr);
    LocalDate d = safe(y, month, day);
    if (d != null && yr == null && d.isBefore(today.minusDays(30))) {
      d = safe(y + 1, month, day);
    }
    return d;
  }

  private static LocalDate safe(int y, int m, int d) {
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1990 || y > 2100) {
      return null;
    }
    try {
      return LocalDate.of(y, m, d);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }
}
