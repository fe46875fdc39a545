package dev.leadqual.udfs.understand;

import dev.leadqual.udfs.text.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Terse answers to the question the bot just asked ("around 150k", "between 50 and 100", "about 40
 * of us", "CTO", "Dana", "Northwind", "0176 1234567"): read as the expected slot where the rules
 * alone refuse, because a bare number is not a budget or a company size and 7–8 bare digits are not
 * a phone without the question's context.
 *
 * <p>Only short answers (at most {@link #MAX_WORDS} words, no question mark), only when the rules
 * found no value of that slot, never over a span another slot holds ("2 weeks" stays a timeline),
 * never a decline ("no idea", "not sure yet") and, for names and companies, never a yes/no, a
 * common word, a function word or a cue phrase. Confidence {@link #CONFIDENCE}, below an explicit
 * statement ("budget 150k" 0.7, "€150k" 0.92). Number words per language are in {@link
 * #NUMBER_WORDS}; everything else is the rules' own extractors run as if the cue were said.
 */
final class ExpectedAnswers {
  /** Longer messages are statements, not answers to the question. */
  static final int MAX_WORDS = 8;
  /** A bare name or company is at most this many words. */
  static final int MAX_NAME_WORDS = 4;
  /** Confidence of a value read from the question's context (explicit statements: 0.7–0.95). */
  static final double CONFIDENCE = 0.6;

  /** The slot the policy asks for as {@code contact}: email or phone. */
  static final String CONTACT = "contact";

  /** Folded number words of en, es, de, fr, pt with their value. */
  static final Map<String, Integer> NUMBER_WORDS = Map.ofEntries(
      // en
      Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6),
      Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11),
      Map.entry("twelve", 12), Map.entry("fifteen", 15), Map.entry("twenty", 20), Map.entry("thirty", 30), Map.entry("forty", 40),
      Map.entry("fifty", 50), Map.entry("sixty", 60), Map.entry("seventy", 70), Map.entry("eighty", 80), Map.entry("ninety", 90),
      // es
      Map.entry("uno", 1), Map.entry("una", 1), Map.entry("dos", 2), Map.entry("tres", 3), Map.entry("cuatro", 4), Map.entry("cinco", 5),
      Map.entry("seis", 6), Map.entry("siete", 7), Map.entry("ocho", 8), Map.entry("nueve", 9), Map.entry("diez", 10),
      Map.entry("doce", 12), Map.entry("quince", 15), Map.entry("veinte", 20), Map.entry("treinta", 30), Map.entry("cuarenta", 40),
      Map.entry("cincuenta", 50), Map.entry("sesenta", 60), Map.entry("setenta", 70), Map.entry("ochenta", 80), Map.entry("noventa", 90),
      Map.entry("doscientos", 200), Map.entry("trescientos", 300), Map.entry("quinientos", 500),
      // de (compounds such as "fünfzigtausend" are split by {@link #germanCompound})
      Map.entry("eins", 1), Map.entry("zwei", 2), Map.entry("drei", 3), Map.entry("vier", 4), Map.entry("funf", 5), Map.entry("sechs", 6),
      Map.entry("sieben", 7), Map.entry("acht", 8), Map.entry("neun", 9), Map.entry("zehn", 10), Map.entry("zwolf", 12),
      Map.entry("zwanzig", 20), Map.entry("dreisig", 30), Map.entry("dreissig", 30), Map.entry("vierzig", 40), Map.entry("funfzig", 50),
      Map.entry("sechzig", 60), Map.entry("siebzig", 70), Map.entry("achtzig", 80), Map.entry("neunzig", 90),
      // fr
      Map.entry("deux", 2), Map.entry("trois", 3), Map.entry("quatre", 4), Map.entry("cinq", 5), Map.entry("sept", 7), Map.entry("huit", 8),
      Map.entry("neuf", 9), Map.entry("dix", 10), Map.entry("douze", 12), Map.entry("quinze", 15), Map.entry("vingt", 20),
      Map.entry("vingts", 20), Map.entry("trente", 30), Map.entry("quarante", 40), Map.entry("cinquante", 50), Map.entry("soixante", 60),
      // pt
      Map.entry("um", 1), Map.entry("dois", 2), Map.entry("duas", 2), Map.entry("quatro", 4), Map.entry("sete", 7), Map.entry("oito", 8),
      Map.entry("nove", 9), Map.entry("dez", 10), Map.entry("vinte", 20), Map.entry("trinta", 30), Map.entry("quarenta", 40),
      Map.entry("cinquenta", 50), Map.entry("sessenta", 60), Map.entry("oitenta", 80), Map.entry("duzentos", 200),
      Map.entry("trezentos", 300), Map.entry("quinhentos", 500));
  /** Multiplying number words: hundred, thousand, million (en, es, de, fr, pt). */
  static final Map<String, Integer> SCALE_WORDS = Map.ofEntries(
      Map.entry("hundred", 100), Map.entry("cien", 100), Map.entry("ciento", 100), Map.entry("hundert", 100), Map.entry("cent", 100),
      Map.entry("cents", 100), Map.entry("cem", 100), Map.entry("cento", 100),
      Map.entry("thousand", 1_000), Map.entry("grand", 1_000), Map.entry("k", 1_000), Map.entry("mil", 1_000), Map.entry("tausend", 1_000),
      Map.entry("mille", 1_000),
      Map.entry("million", 1_000_000), Map.entry("millions", 1_000_000), Map.entry("millon", 1_000_000), Map.entry("millones", 1_000_000),
      Map.entry("millionen", 1_000_000), Map.entry("mio", 1_000_000), Map.entry("milhao", 1_000_000), Map.entry("milhoes", 1_000_000));
  private static final LongIntMap NUMBER_HASHES = hashes(NUMBER_WORDS);
  private static final LongIntMap SCALE_HASHES = hashes(SCALE_WORDS);

  private static LongIntMap hashes(Map<String, Integer> words) {
    LongIntMap m = new LongIntMap(words.size());
    words.forEach((w, v) -> m.put(Tokens.hashOf(w), v));
    return m;
  }

  /** "fifty and five", "cuarenta y cinco", "vinte e cinco", "trente et un": joins number words. */
  private static final Set<String> NUMBER_JOINERS = Set.of("and", "y", "e", "et", "und");
  /** "a hundred", "a thousand": an article before a scale word is one. */
  private static final Set<String> ONE_BEFORE_SCALE = Set.of("a", "an", "un", "une", "ein", "eine", "um", "uma");
  /** Joins the two ends of a range: "50-100", "50 to 100", "between 50 and 100", "entre 50 y 100". */
  private static final Set<String> RANGE_WORDS = Set.of("to", "and", "or", "a", "y", "o", "bis", "und", "oder", "et", "ou", "e", "ate");
  /** After a count, these make it a duration, a share or a time, not a count or an amount. */
  private static final Set<String> NOT_A_COUNT_AFTER = Set.of("day", "days", "week", "weeks", "month", "months", "year", "years",
      "hour", "hours", "minute", "minutes", "am", "pm", "percent", "dias", "dia", "semana", "semanas", "mes", "meses", "ano", "anos",
      "tag", "tage", "tagen", "woche", "wochen", "monat", "monate", "monaten", "jahr", "jahre", "jahren", "jour", "jours", "semaine",
      "semaines", "mois", "an", "ans", "annee", "annees", "uhr", "h", "q1", "q2", "q3", "q4");
  /** Currency words after an amount: the answer to "how many people" is not an amount of money. */
  private static final Set<String> MONEY_AFTER = Set.of("k", "usd", "eur", "gbp", "brl", "chf", "mxn", "dollar", "dollars", "bucks",
      "euro", "euros", "pound", "pounds", "reais", "real", "pesos", "francs", "mil", "thousand", "tausend", "mille", "million", "mio",
      "millionen", "millones", "milhoes", "budget");
  /** "about 40 of us", "unos 40 de nosotros": a head count, never a budget. */
  private static final Set<String> OF_US = Set.of("us", "nosotros", "nosotras", "uns", "nous", "nos");
  /** Replies that are not a name or a company, beyond the lexicon's function words and cues (en, es, de, fr, pt). */
  private static final Set<String> NOT_A_NAME = Set.of("yes", "yeah", "yep", "yup", "no", "nope", "nah", "ok", "okay", "k", "sure",
      "thanks", "thank", "thx", "ty", "cheers", "hi", "hello", "hey", "bye", "fine", "great", "cool", "nice", "sorry", "what", "why",
      "who", "me", "myself", "nobody", "none", "nothing", "anonymous", "later", "skip", "n", "a", "na", "idk", "dunno", "maybe", "lol",
      "si", "sí", "vale", "claro", "gracias", "nada", "ninguno", "ninguna", "ja", "nein", "jo", "danke", "genau", "klar", "gerne",
      "nichts", "keine", "keiner", "oui", "non", "ouais", "merci", "daccord", "rien", "personne", "sim", "nao", "obrigado", "obrigada",
      "beleza", "ninguem", "test", "asdf", "private", "secret", "confidential");

  private ExpectedAnswers() {}

  /** Whether the message is short enough to be a terse answer. */
  static boolean isShortAnswer(String text, Tokens t) {
    return t.size > 0 && t.size <= MAX_WORDS && text.indexOf('?') < 0;
  }

  /**
   * Adds the expected slot read from a short answer, when the rules found none (see the class
   * comment). Returns true when a slot was added.
   *
   * @param expected the slot the bot asked for (a slot name, or {@code contact})
   * @param slots the rules' slots so far (read and appended to)
   */
  static boolean read(String expected, String text, String f, Tokens t, List<Lexicon.Hit> hits, String region, String fallbackRegion,
      long[] commonWords, List<Slot> slots) {
    if (!isShortAnswer(text, t)) {
      return false;
    }
    List<Slot> before = new ArrayList<>(slots);
    if (readSlot(expected, text, f, t, hits, region, fallbackRegion, commonWords, slots) && !Declines.isDecline(text)) {
      return true;
    }
    slots.clear(); // nothing read, or a decline ("no idea, maybe 50k"): the rules' reading stands
    slots.addAll(before);
    return false;
  }

  private static boolean readSlot(String expected, String text, String f, Tokens t, List<Lexicon.Hit> hits, String region,
      String fallbackRegion, long[] commonWords, List<Slot> slots) {
    switch (expected) {
      case SlotNames.BUDGET:
        return !has(slots, SlotNames.BUDGET) && budget(text, f, t, slots);
      case SlotNames.COMPANY_SIZE:
        return !has(slots, SlotNames.COMPANY_SIZE) && companySize(text, t, slots);
      case SlotNames.PHONE:
      case CONTACT:
        return !has(slots, SlotNames.PHONE) && !has(slots, SlotNames.EMAIL) && phone(text, t, region, fallbackRegion, slots);
      case SlotNames.AUTHORITY:
        return !has(slots, SlotNames.AUTHORITY) && authority(text, t, hits, slots);
      case SlotNames.NAME:
      case SlotNames.COMPANY:
        return !has(slots, expected) && bareName(expected, text, t, hits, commonWords, slots);
      default:
        return false;
    }
  }

  private static boolean has(List<Slot> slots, String name) {
    for (Slot s : slots) {
      if (s.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean budget(String text, String f, Tokens t, List<Slot> slots) {
    List<Slot> found = new ArrayList<>(1);
    Slots.budgets(text, f, true, t, slots, found); // the question is the budget cue
    for (Slot s : found) {
      int after = tokenAfter(t, s.end());
      if (after < t.size && OF_US.contains(t.text(after)) || after + 1 < t.size && "of".equals(t.text(after)) && OF_US.contains(t.text(after + 1))) {
        continue; // "400 of us"
      }
      slots.add(new Slot(SlotNames.BUDGET, s.value(), s.text(), s.start(), s.end(), Math.min(s.confidence(), CONFIDENCE)));
      return true;
    }
    // number words: "fifty thousand", "cincuenta mil euros", "fünfzigtausend"
    int[] span = new int[2];
    long[] range = new long[2];
    if (!amount(t, span, range) || Character.isDigit(t.chars[t.start[span[0]]])) {
      return false; // digits the budget rules refused with the cue (a year, "room 204") stay refused
    }
    int s = t.start[span[0]];
    int e = t.end[span[1] - 1];
    String cur = null;
    if (span[1] < t.size) {
      cur = Slots.currency(t.text(span[1]), null);
      if (cur != null) {
        e = t.end[span[1]];
      }
    }
    if (range[0] < 50 || Slots.overlaps(slots, s, e) || isNotAnAmount(t, span[1] + (cur != null ? 1 : 0))) {
      return false;
    }
    String v = range[0] + (range[1] > range[0] ? "-" + range[1] : "") + " " + (cur == null ? "XXX" : cur);
    slots.add(new Slot(SlotNames.BUDGET, v, text.substring(s, e), s, e, CONFIDENCE));
    return true;
  }

  private static boolean companySize(String text, Tokens t, List<Slot> slots) {
    int[] span = new int[2];
    long[] range = new long[2];
    if (!amount(t, span, range) || range[0] < 1 || range[0] > 5_000_000) {
      return false;
    }
    int s = t.start[span[0]];
    int e = t.end[span[1] - 1];
    if (span[1] < t.size && MONEY_AFTER.contains(t.text(span[1])) || isNotAnAmount(t, span[1]) || hasMoneySign(text, s)
        || overlapsOtherThanWeakBudget(slots, s, e) || isYear(t, span, range)) {
      return false;
    }
    String v = range[0] + (range[1] > range[0] ? "-" + range[1] : "");
    slots.removeIf(x -> isWeakBareBudget(x) && x.start() < e && s < x.end());
    slots.add(new Slot(SlotNames.COMPANY_SIZE, v, text.substring(s, e), s, e, CONFIDENCE));
    return true;
  }

  /**
   * A bare number the budget rules took only because "about", "around", "environ" ... came before
   * it (no currency, no multiplier): when the question was how many people, it is the head count.
   */
  private static boolean isWeakBareBudget(Slot x) {
    return SlotNames.BUDGET.equals(x.name()) && x.value().endsWith(" XXX") && x.confidence() < 0.6;
  }

  private static boolean overlapsOtherThanWeakBudget(List<Slot> slots, int s, int e) {
    for (Slot x : slots) {
      if (s < x.end() && x.start() < e && !isWeakBareBudget(x)) {
        return true;
      }
    }
    return false;
  }

  private static boolean phone(String text, Tokens t, String region, String fallbackRegion, List<Slot> slots) {
    List<Slot> found = new ArrayList<>(1);
    Slots.phones(text, region, fallbackRegion, t, true, found); // the question is the phone cue
    for (Slot s : found) {
      if (!Slots.overlaps(slots, s.start(), s.end())) {
        slots.add(new Slot(SlotNames.PHONE, s.value(), s.text(), s.start(), s.end(), Math.min(s.confidence(), 0.8)));
        return true;
      }
    }
    return false;
  }

  /** A title in a reply of up to {@link #MAX_WORDS} words (the rules take a bare title only up to five). */
  private static boolean authority(String text, Tokens t, List<Lexicon.Hit> hits, List<Slot> slots) {
    for (Lexicon.Hit h : hits) {
      if ("title".equals(h.entry.kind)) {
        int s = t.start[h.from];
        int e = t.end[h.to - 1];
        if (!Slots.overlaps(slots, s, e)) {
          slots.add(new Slot(SlotNames.AUTHORITY, h.entry.value, text.substring(s, e), s, e, CONFIDENCE));
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A reply of one to four words, letters only (a company may have digits), none of them a
   * yes/no/thanks word, a function word or a cue phrase of the lexicon, and at least one of them
   * not a common word: read as the name or the company asked for. A name or company the tagger put
   * on the whole reply under the other type is re-typed (the question says which one it is).
   */
  private static boolean bareName(String expected, String text, Tokens t, List<Lexicon.Hit> hits, long[] commonWords, List<Slot> slots) {
    if (t.size > MAX_NAME_WORDS || text.indexOf('@') >= 0) {
      return false;
    }
    boolean company = SlotNames.COMPANY.equals(expected);
    boolean uncommon = false;
    for (int i = 0; i < t.size; i++) {
      String w = t.text(i);
      if (NOT_A_NAME.contains(w) || (!company && !isLetters(t, i)) || (company && !hasLetter(t, i))) {
        return false;
      }
      if (commonWords == null || java.util.Arrays.binarySearch(commonWords, t.hash[i]) < 0) {
        uncommon = true;
      }
    }
    for (Lexicon.Hit h : hits) {
      if (!h.corrected) {
        return false; // a function word, a greeting, a cue, a title, a product or a competitor
      }
    }
    if (!uncommon) {
      return false;
    }
    int s = t.start[0];
    int e = t.end[t.size - 1];
    String other = company ? SlotNames.NAME : SlotNames.COMPANY;
    for (int i = slots.size() - 1; i >= 0; i--) {
      Slot x = slots.get(i);
      if (x.start() < e && s < x.end()) {
        if (!x.name().equals(other) || x.confidence() >= 0.85) {
          return false; // another slot, or a rule's explicit reading
        }
        slots.remove(i);
      }
    }
    String surface = text.substring(s, e);
    slots.add(new Slot(expected, surface, surface, s, e, CONFIDENCE));
    return true;
  }

  private static boolean isLetters(Tokens t, int i) {
    for (int k = t.start[i]; k < t.end[i]; k++) {
      if (!Character.isLetter(t.chars[k])) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasLetter(Tokens t, int i) {
    for (int k = t.start[i]; k < t.end[i]; k++) {
      if (Character.isLetter(t.chars[k])) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first amount of the reply: digits ("40", "1.5k", "50-100", "between 50 and 100") or number
   * words ("forty", "cincuenta mil", "fünfzigtausend", "quatre-vingts"), optionally a range.
   *
   * @param span out: token range [from, to) of the amount
   * @param range out: low and high value (equal for one number)
   */
  static boolean amount(Tokens t, int[] span, long[] range) {
    for (int i = 0; i < t.size; i++) {
      long[] v = new long[1];
      int end = number(t, i, v);
      if (end < 0) {
        continue;
      }
      range[0] = v[0];
      range[1] = v[0];
      span[0] = i;
      span[1] = end;
      if (end + 1 < t.size && RANGE_WORDS.contains(t.text(end)) || end < t.size && isDashBetween(t, end - 1, end)) {
        int from = isDashBetween(t, end - 1, end) && !RANGE_WORDS.contains(t.text(end)) ? end : end + 1;
        long[] hi = new long[1];
        int end2 = number(t, from, hi);
        if (end2 > 0 && hi[0] > v[0] / 1000) {
          if (hi[0] >= 1000 && v[0] < 1000 && v[0] * 1000 <= hi[0] * 10 && scaleOf(t, end2 - 1) >= 1000) {
            range[0] = v[0] * scaleOf(t, end2 - 1); // "50 to 100 thousand"
          }
          range[1] = Math.max(range[0], hi[0]);
          span[1] = end2;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean isDashBetween(Tokens t, int a, int b) {
    if (a < 0 || b >= t.size) {
      return false;
    }
    for (int k = t.end[a]; k < t.start[b]; k++) {
      if (t.chars[k] == '-' || t.chars[k] == '–') {
        return true;
      }
    }
    return false;
  }

  private static long scaleOf(Tokens t, int i) {
    Integer s = SCALE_WORDS.get(t.text(i));
    if (s != null) {
      return s;
    }
    String w = t.text(i);
    if (w.endsWith("k") && w.length() > 1 && Character.isDigit(w.charAt(0))) {
      return 1000;
    }
    return w.endsWith("tausend") ? 1000 : 1;
  }

  /** A number at token i (digits with an optional k / scale word, or a run of number words); returns its end token, -1 if none. */
  private static int number(Tokens t, int i, long[] out) {
    if (i >= t.size) {
      return -1;
    }
    String w = t.text(i);
    char c0 = w.charAt(0);
    if (c0 >= '0' && c0 <= '9') {
      int j = i;
      // "1.5k", "2,500": the tokeniser splits at separators; rejoin digits separated by one '.' or ','
      int e = t.end[i];
      while (j + 1 < t.size && t.start[j + 1] == t.end[j] + 1 && (t.chars[t.end[j]] == '.' || t.chars[t.end[j]] == ',') && digitsThen(t, j + 1)) {
        j++;
        e = t.end[j];
      }
      String num = new String(t.chars, t.start[i], e - t.start[i]);
      double mult = 1;
      if (num.endsWith("k")) {
        num = num.substring(0, num.length() - 1);
        mult = 1000;
      }
      double v = Numbers.parse(num);
      if (Double.isNaN(v)) {
        return -1;
      }
      int end = j + 1;
      if (mult == 1 && end < t.size && SCALE_HASHES.get(t.hash[end], -1) >= 0) {
        mult = SCALE_HASHES.get(t.hash[end], 1);
        end++;
      }
      out[0] = Math.round(v * mult);
      return end;
    }
    long total = 0;
    long current = 0;
    int j = i;
    boolean any = false;
    while (j < t.size) {
      int nv = NUMBER_HASHES.get(t.hash[j], -1);
      int sv = SCALE_HASHES.get(t.hash[j], -1);
      if (nv < 0 && sv < 0 && t.length(j) < 7 && !(j + 1 < t.size && (any || t.length(j) <= 4))) {
        break; // neither a number word nor long enough for a German compound, nor a joiner or article: the common case, no String
      }
      String x = t.text(j);
      Integer n = nv < 0 ? null : nv;
      Integer sc = sv < 0 ? null : sv;
      long compound = n == null && sc == null && x.length() >= 7 ? germanCompound(x) : -1;
      if (n != null) {
        if (n == 20 && current % 10 == 4 && current > 0 && x.startsWith("vingt")) {
          current = current - 4 + 80; // quatre-vingts
        } else {
          current += n;
        }
      } else if (sc != null && !(x.equals("k") && !any)) {
        long base = current == 0 ? 1 : current;
        if (sc == 100) {
          current = base * 100;
        } else {
          total += base * sc;
          current = 0;
        }
      } else if (compound > 0) {
        current += compound;
      } else if (any && NUMBER_JOINERS.contains(x) && j + 1 < t.size && NUMBER_HASHES.get(t.hash[j + 1], -1) >= 0) {
        j++;
        continue;
      } else if (!any && ONE_BEFORE_SCALE.contains(x) && j + 1 < t.size && SCALE_HASHES.get(t.hash[j + 1], -1) >= 0) {
        current = 1;
        j++;
        any = true;
        continue;
      } else {
        break;
      }
      any = true;
      j++;
    }
    if (!any || total + current <= 1) {
      return -1; // "una", "um", "one": an article or a pronoun more often than a count
    }
    out[0] = total + current;
    return j;
  }

  private static boolean digitsThen(Tokens t, int j) {
    char c = t.chars[t.start[j]];
    return c >= '0' && c <= '9';
  }

  /** German compounds: "fünfzigtausend" 50000, "zweihundert" 200, "fünfundzwanzig" 25; -1 if not one. */
  static long germanCompound(String w) {
    if (w.isEmpty()) {
      return -1;
    }
    Integer n = NUMBER_WORDS.get(w);
    if (n != null) {
      return n;
    }
    if (w.equals("ein") || w.equals("eine")) {
      return 1;
    }
    int k = w.indexOf("tausend");
    if (k >= 0) {
      long hi = k == 0 ? 1 : germanCompound(w.substring(0, k));
      long lo = k + 7 == w.length() ? 0 : germanCompound(w.substring(k + 7));
      return hi < 0 || lo < 0 ? -1 : hi * 1000 + lo;
    }
    k = w.indexOf("hundert");
    if (k >= 0) {
      long hi = k == 0 ? 1 : germanCompound(w.substring(0, k));
      long lo = k + 7 == w.length() ? 0 : germanCompound(w.substring(k + 7));
      return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
    }
    k = w.indexOf("und");
    if (k > 0) {
      long unit = germanCompound(w.substring(0, k));
      long tens = germanCompound(w.substring(k + 3));
      return unit < 0 || tens < 0 || unit >= 10 || tens % 10 != 0 ? -1 : unit + tens;
    }
    return -1;
  }

  private static int tokenAfter(Tokens t, int charEnd) {
    for (int i = 0; i < t.size; i++) {
      if (t.start[i] >= charEnd) {
        return i;
      }
    }
    return t.size;
  }

  /** A duration, a share or a time follows: "2 weeks", "30%", "3 pm". */
  private static boolean isNotAnAmount(Tokens t, int i) {
    if (i < t.size && NOT_A_COUNT_AFTER.contains(t.text(i))) {
      return true;
    }
    int from = i > 0 ? t.end[i - 1] : 0;
    return from < t.chars.length && t.chars[from] == '%';
  }

  private static boolean hasMoneySign(String text, int s) {
    for (int k = Math.max(0, s - 2); k < s; k++) {
      char c = text.charAt(k);
      if (c == '$' || c == '€' || c == '£') {
        return true;
      }
    }
    return false;
  }

  /** "2026" alone, "in 2027": a year, not a head count. */
  private static boolean isYear(Tokens t, int[] span, long[] range) {
    return range[0] == range[1] && range[0] >= 1990 && range[0] <= 2100 && span[1] - span[0] == 1 && t.length(span[0]) == 4;
  }
}
