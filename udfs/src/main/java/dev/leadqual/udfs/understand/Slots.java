package dev.leadqual.udfs.understand;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.leadqual.udfs.text.Tokens;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.EmailValidator;

/** The slot extractors. Stateless; every pattern is compiled once. */
final class Slots {
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
  private static final EmailValidator EMAILS = EmailValidator.getInstance(false, true);

  // ------------------------------------------------------------------ email
  private static final Pattern EMAIL = Pattern.compile("[\\p{L}\\p{N}._%+'-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+");
  private static final Pattern EMAIL_SPOKEN = Pattern.compile(
      "\\b([a-z0-9][a-z0-9._-]*)\\s*(?:\\(at\\)|\\[at\\]| at | arroba | chez | ät )\\s*([a-z0-9-]+)\\s*(?:\\(dot\\)|\\[dot\\]| dot | punto | punkt | point | ponto )\\s*([a-z]{2,6})\\b");
  /** Lower-cased, punctuation-stripped emails ("karthikgmailcom"): known providers only. */
  private static final Pattern EMAIL_SQUASHED = Pattern.compile(
      "\\b(?:([a-z][a-z0-9]*)\\s(\\d{1,4})\\s)?([a-z0-9]*?)(gmail|gmai|gail|googlemail|yahoo|ymail|hotmail|outlook|aol|icloud|live|msn|protonmail|proton|gmx|yandex|zoho|optonline|comcast|verizon|sbcglobal|rediffmail|rediff)(com|net|org|in|couk|de|fr|es|co)\\b");

  // ------------------------------------------------------------------ phone
  private static final Pattern PHONE = Pattern.compile("(?<![\\w.,/])(?:\\+|00)?\\(?\\d[\\d \\-.()]{5,20}\\d(?![\\w/])");
  private static final Pattern THOUSANDS = Pattern.compile("\\d{1,3}(?:[.,]\\d{3})+(?:[.,]\\d{1,2})?");

  // ------------------------------------------------------------------ money
  private static final String NUM = "(\\d{1,3}(?:[.,' ]\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d+)?)";
  private static final String CUR_PRE = "(us\\$|usd|eur|gbp|brl|r\\$|chf|mxn|\\$|€|£)";
  private static final String MULT = "(?:\\s?(k|m|mm|mn|mil|thousand|grand|million|millones|millon|mio\\.?|tausend|tsd\\.?|mille|millions|millionen|milhoes|milhao)\\b)?";
  private static final String CUR_POST =
      "(?:\\s?(usd|eur|gbp|brl|chf|mxn|dollars?|bucks|euros?|pounds?|quid|reais|real|pesos|francs?|€|\\$|£)(?![a-z]))?";
  private static final String PERIOD =
      "(?:\\s?(?:/|per|a|an|par|por|pro|al|ao|im|each|every)\\s?(month|mo|mth|year|yr|annum|mes|ano|monat|jahr|mois|an|annee|quarter|week|user|seat|usuario|nutzer|utilisateur|licen[cs]e|lizenz)\\b"
          + "|\\s?(monthly|yearly|annually|anual|mensual|mensal|monatlich|jahrlich|mensuel|annuel|p\\.?a\\.?|p\\.?m\\.?)\\b)?";
  private static final Pattern MONEY = Pattern.compile(
      "(?<![\\w.,])" + CUR_PRE + "?\\s?" + NUM + MULT + CUR_POST
          + "(?:\\s?(?:-|–|to|a|bis|à|até|ate|and|und|et|y|e)\\s?" + CUR_PRE + "?\\s?" + NUM + MULT + CUR_POST + ")?"
          + PERIOD + "(?![\\w])");

  // ------------------------------------------------------------------ company size
  private static final String SIZE_UNITS =
      "(employees?|people|persons?|staff|users?|seats?|licen[cs]es?|agents?|members|team members|reps|developers|engineers|heads|fte|ftes"
          + "|empleados|personas|usuarios|licencias|agentes|trabajadores|colaboradores|puestos"
          + "|mitarbeiter(?:innen)?|mitarbeitende[n]?|nutzer(?:innen)?|benutzer|lizenzen|personen|leute|platze|arbeitsplatze|angestellte"
          + "|employes|salaries|personnes|utilisateurs|collaborateurs|postes"
          + "|funcionarios|pessoas|usuarios|licencas|atendentes)";
  private static final Pattern SIZE = Pattern.compile(
      "(?<![\\w.,$€£])(\\d[\\d.,]*)\\s?(k)?\\+?(?:\\s?(?:-|to|a|bis|à|ate)\\s?(\\d[\\d.,]*)\\s?(k)?\\+?)?\\s(?:[a-z-]+\\s)?" + SIZE_UNITS + "\\b");
  private static final Pattern TEAM_OF = Pattern.compile(
      "\\b(?:team of|company of|equipo de|empresa de|team von|firma mit|equipe de|entreprise de|empresa com|we are|we're|somos|wir sind|nous sommes)\\s+(?:about |around |roughly |unos |unas |etwa |rund |environ |cerca de )?(\\d[\\d.,]*)\\s?(k)?\\b(?!\\s*(?:%|€|\\$|eur|usd|dollars|euros))");

  // ------------------------------------------------------------------ company
  private static final String CO_NAME = "((?:[\\p{Lu}\\d][\\p{L}\\d&'.+-]*)(?:\\s(?:[\\p{Lu}\\d][\\p{L}\\d&'.+-]*|&|of|and|y|und|et|e)){0,4}?)";
  private static final String CO_NAME_GREEDY = "((?:[\\p{Lu}\\d][\\p{L}\\d&'.+-]*)(?:\\s(?:\\p{Lu}[\\p{L}\\d&'.+-]*|&)){0,3})";
  private static final String LEGAL = "(?:inc\\.?|llc|l\\.l\\.c\\.|ltd\\.?|limited|gmbh|ag|s\\.?a\\.?|s\\.?l\\.?|sas|sarl|ltda\\.?|bv|b\\.v\\.|plc|corp\\.?|corporation|co\\.|oy|ab|s\\.?p\\.?a\\.?|pty|group|technologies|solutions|software|systems|labs|consulting|pvt)";
  private static final Pattern COMPANY_STRONG = Pattern.compile(
      "(?i:\\b(?:i work (?:at|for)|i'm working (?:at|for)|working (?:at|for)|i work with|company(?: name)? is|company's name is|company called|our company,?|my company,?|organization is|organisation is|employer is"
          + "|trabajo (?:en|para)|de la empresa|la empresa|mi empresa(?: es)?|nuestra empresa(?: es)?|empresa llamada"
          + "|ich arbeite (?:bei|fur|für)|arbeite (?:bei|fur|für)|von der firma|bei der firma|unsere firma(?: ist)?|firma|unternehmen"
          + "|je travaille (?:chez|pour)|travaille (?:chez|pour)|de la soci[ée]t[ée]|la soci[ée]t[ée]|notre soci[ée]t[ée](?: est)?|notre entreprise(?: est)?|l'entreprise"
          + "|trabalho (?:na|no|para|em)|da empresa|a empresa|minha empresa(?: [ée])?|nossa empresa(?: [ée])?))\\s+" + CO_NAME_GREEDY);
  private static final Pattern COMPANY_WEAK = Pattern.compile(
      "(?i:\\b(?:from|at|with|here at|on behalf of|representing|de|von|bei|chez|da|do|en|na|no))\\s+" + CO_NAME_GREEDY);
  private static final Pattern COMPANY_LEGAL = Pattern.compile(
      "\\b" + CO_NAME + "\\s" + "(?i:" + LEGAL + ")(?![\\p{L}])");
  private static final Pattern COMPANY_LOWER_STRONG = Pattern.compile(
      "\\b(?:company(?: name)? is|company called|i work (?:at|for)|working for|trabajo en|empresa es|arbeite bei|firma ist|travaille chez|trabalho na|trabalho no)\\s+([a-z0-9][a-z0-9&-]*(?:\\s[a-z0-9&-]+){0,2})");
  private static final Pattern COMPANY_LOWER_LEGAL = Pattern.compile(
      "\\b((?:[a-z0-9&-]+\\s){0,2}[a-z0-9&-]+)\\s(ltd|limited|inc|llc|gmbh|pvt ltd|pvt|corp|corporation|company|technologies|solutions|industries|enterprises|group)\\b");

  // ------------------------------------------------------------------ person name
  private static final String PERSON = "(\\p{Lu}[\\p{Ll}'’-]+(?:\\s(?:de |da |van |von |del |dos |le )?\\p{Lu}[\\p{Ll}'’-]+){0,2})";
  private static final Pattern NAME_STRONG = Pattern.compile(
      "(?i:\\b(?:my name is|my name's|name is|name's|call me|me llamo|mi nombre es|ich heiße|ich heisse|mein name ist|je m'appelle|je m’appelle|mon nom est|meu nome é|meu nome e|me chamo|chamo-me))\\s+" + PERSON);
  private static final Pattern NAME_WEAK = Pattern.compile(
      "(?i:\\b(?:i am|i'm|im|this is|it's|soy|ich bin|hier ist|hier spricht|je suis|c'est|ici|sou o|sou a|sou|aqui é|aqui e))\\s+" + PERSON);
  private static final Pattern NAME_LOWER = Pattern.compile(
      "\\b(?:my name is|name is|my names|me llamo|mi nombre es|ich heisse|mein name ist|je m'appelle|mon nom est|meu nome e|me chamo)\\s+([a-z][a-z'-]+(?:\\s[a-z][a-z'-]+)?)");

  private static final Set<String> NOT_NAMES = setOf(
      "interested", "looking", "trying", "the", "a", "an", "not", "here", "from", "with", "at", "in", "on", "ready", "new", "just", "also",
      "good", "fine", "sorry", "sure", "back", "calling", "writing", "reaching", "contacting", "wondering", "still", "very", "so", "really",
      "hi", "hello", "thanks", "ok", "okay", "yes", "no", "and", "or", "but", "it", "this", "that", "going", "having", "using",
      "el", "la", "de", "un", "una", "muy", "del", "der", "die", "das", "ein", "eine", "le", "les", "des", "du", "o", "os", "as", "um", "uma",
      "is", "are", "was", "and", "sales", "support", "customer", "ceo", "cto", "cfo", "founder", "manager", "director", "head", "owner",
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
      "july", "august", "september", "october", "november", "december", "english", "spanish", "german", "french", "portuguese",
      "cliente", "kunde", "client", "interesado", "interesada", "interessiert", "interesse", "interessado", "bonjour", "hola", "hallo", "ola",
      "there", "team", "company", "account", "user", "admin", "we", "our", "my", "your", "you", "i", "me", "please", "yes", "no");
  private static final Set<String> NOT_COMPANIES = setOf(
      "i", "we", "the", "a", "an", "my", "our", "your", "this", "that", "it", "monday", "tuesday", "wednesday", "thursday", "friday",
      "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
      "december", "today", "tomorrow", "next", "q1", "q2", "q3", "q4", "us", "usa", "uk", "eu", "europe", "germany", "spain", "france",
      "brazil", "portugal", "mexico", "london", "berlin", "paris", "madrid", "lisbon", "home", "work", "hi", "hello", "thanks", "hola",
      "bonjour", "hallo", "ola", "sales", "support", "google", "linkedin", "email", "phone", "whatsapp", "slack", "teams", "zoom", "ceo",
      "cto", "cfo", "vp", "head", "director", "manager", "der", "die", "das", "el", "la", "le", "les", "o", "uma", "um", "mi", "meine",
      "mon", "ma", "ihr", "ihre", "euch", "ihnen", "uns", "nous", "vous", "nos", "vos", "ustedes", "voces", "mir", "me", "te", "dich");

  private static Set<String> setOf(String... xs) {
    return Set.copyOf(new java.util.HashSet<>(java.util.Arrays.asList(xs)));
  }

  private Slots() {}

  // ================================================================== extractors

  static void emails(String text, char[] folded, int all, List<Slot> out) {
    int at = text.indexOf('@');
    if (at >= 0) {
      while (at >= 0) {
        int s = at;
        while (s > 0 && isLocalChar(text.charAt(s - 1))) {
          s--;
        }
        int e = at + 1;
        while (e < text.length() && (Character.isLetterOrDigit(text.charAt(e)) || text.charAt(e) == '-' || text.charAt(e) == '.')) {
          e++;
        }
        while (e > at + 1 && (text.charAt(e - 1) == '.' || text.charAt(e - 1) == '-')) {
          e--;
        }
        if (s < at && e > at + 1) {
          String cand = text.substring(s, e);
          if (Rx.m(EMAIL, cand).matches() && EMAILS.isValid(cand)) {
            out.add(new Slot(SlotNames.EMAIL, cand.toLowerCase(Locale.ROOT), cand, s, e, 0.97));
          }
        }
        at = text.indexOf('@', Math.max(e, at + 1));
      }
      return;
    }
    String f = new String(folded);
    if ((all & Triggers.SPOKEN_AT) != 0 || f.contains("(at)") || f.contains("[at]")) {
      emailsSpoken(text, f, out);
    }
    if (f.indexOf('.') < 0 && (f.contains("com") || f.contains("net") || f.contains("org") || f.contains("co"))) {
      emailsSquashed(text, f, out);
    }
  }

  private static void emailsSpoken(String text, String f, List<Slot> out) {
    if (f.contains(" at ") || f.contains("(at)") || f.contains("[at]") || f.contains(" arroba ") || f.contains(" chez ")) {
      Matcher m = Rx.m(EMAIL_SPOKEN, f);
      while (m.find()) {
        String e = m.group(1) + "@" + m.group(2) + "." + m.group(3);
        if (EMAILS.isValid(e)) {
          out.add(new Slot(SlotNames.EMAIL, e, text.substring(m.start(), m.end()), m.start(), m.end(), 0.75));
        }
      }
    }
  }

  private static void emailsSquashed(String text, String f, List<Slot> out) {
    {
      Matcher m = Rx.m(EMAIL_SQUASHED, f);
      while (m.find()) {
        String tld = m.group(5).equals("couk") ? "co.uk" : m.group(5);
        String local = (m.group(1) == null ? "" : m.group(1) + m.group(2)) + m.group(3);
        int start = m.start();
        // "rajvishnu 12 gmailcom": take up to two preceding alphanumeric words after an email cue
        int s2 = extendLocalPart(f, start);
        if (s2 < start) {
          local = f.substring(s2, start).replace(" ", "") + local;
          start = s2;
        }
        if (local.length() < 2) {
          continue;
        }
        String e = local + "@" + m.group(4) + "." + tld;
        out.add(new Slot(SlotNames.EMAIL, e, text.substring(start, m.end()), start, m.end(), 0.6));
      }
    }
  }

  private static int extendLocalPart(String f, int start) {
    int cue = Math.max(f.lastIndexOf("email is ", start), Math.max(f.lastIndexOf("email address is ", start), f.lastIndexOf("mail is ", start)));
    if (cue < 0) {
      return start;
    }
    int from = f.indexOf(" is ", cue) + 4;
    if (from >= start || start - from > 24) {
      return start;
    }
    return from;
  }

  private static boolean isLocalChar(char c) {
    return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
  }

  private static String trimTrailingDots(String s) {
    int e = s.length();
    while (e > 0 && (s.charAt(e - 1) == '.' || s.charAt(e - 1) == '-')) {
      e--;
    }
    return s.substring(0, e);
  }

  static void phones(String text, String region, String fallbackRegion, Tokens t, List<Slot> out) {
    phones(text, region, fallbackRegion, t, false, out);
  }

  /**
   * Phone numbers; with {@code phoneAsked} the message answers a question for a phone number, so it
   * reads as if a phone cue word preceded every number (an id cue word still wins).
   */
  static void phones(String text, String region, String fallbackRegion, Tokens t, boolean phoneAsked, List<Slot> out) {
    int totalDigits = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        totalDigits++;
      }
    }
    if (totalDigits < 7) {
      return;
    }
    Matcher m = Rx.m(PHONE, text);
    m.useTransparentBounds(true);
    int done = 0;
    for (int ti = 0; ti < t.size; ti++) {
      int ts = t.start[ti];
      char c0 = text.charAt(ts);
      if (c0 < '0' || c0 > '9' || ts < done) {
        continue;
      }
      int p = ts;
      while (p > 0 && (text.charAt(p - 1) == '+' || text.charAt(p - 1) == '(')) {
        p--;
      }
      m.region(p, text.length());
      if (!m.lookingAt()) {
        continue;
      }
      done = m.end();
      String g = m.group();
      int digits = 0;
      for (int i = 0; i < g.length(); i++) {
        if (Character.isDigit(g.charAt(i))) {
          digits++;
        }
      }
      if (digits < 7 || digits > 15) {
        continue;
      }
      String trimmed = g.trim();
      if (Rx.m(THOUSANDS, trimmed).matches() || looksLikeDate(trimmed) || nearCurrency(text, m.start(), m.end())) {
        continue;
      }
      int cue = numberCue(t, ti);
      if (cue == 0 && phoneAsked) {
        cue = 1;
      }
      if (cue < 0) {
        continue; // "account number 7474973627", "policy no 276586786": an id, whatever its length
      }
      boolean plain = trimmed.chars().allMatch(Character::isDigit);
      if (plain && digits < 9 && cue == 0) {
        continue; // "1298456": an id or an amount more often than a phone number (unless "phone ..." precedes it)
      }
      String candidate = trimmed.startsWith("00") ? "+" + trimmed.substring(2) : trimmed;
      int s = m.start() + (g.length() - g.stripLeading().length());
      Phonenumber.PhoneNumber pn = parsePhone(candidate, region);
      if (pn == null && fallbackRegion != null && !candidate.startsWith("+")) {
        pn = parsePhone(candidate, fallbackRegion); // the detected language can be wrong on a short line; the locale says where the visitor is
      }
      if (pn != null) {
        double conf = PHONES.isValidNumber(pn) ? 0.95 : 0.7;
        out.add(new Slot(SlotNames.PHONE, PHONES.format(pn, PhoneNumberUtil.PhoneNumberFormat.E164), trimmed, s, s + trimmed.length(), conf));
      } else if (cue > 0 && !candidate.startsWith("+")) {
        // "phone no is 87867678": said to be a phone number, but no numbering plan of the region fits
        out.add(new Slot(SlotNames.PHONE, trimmed.replaceAll("[^0-9]", ""), trimmed, s, s + trimmed.length(), 0.5));
      }
    }
  }

  /** A valid, else a possible number of the region; null when neither. */
  private static Phonenumber.PhoneNumber parsePhone(String candidate, String region) {
    try {
      Phonenumber.PhoneNumber pn = PHONES.parse(candidate, candidate.startsWith("+") ? "ZZ" : region);
      return PHONES.isValidNumber(pn) || PHONES.isPossibleNumber(pn) ? pn : null;
    } catch (NumberParseException e) {
      return null;
    }
  }

  private static final LongIntMap NUMBER_CUES = new LongIntMap(128);

  static {
    for (String w : List.of("phone", "ph", "mobile", "mob", "cell", "cellphone", "tel", "telephone", "whatsapp", "call", "text", "sms",
        "telefono", "movil", "celular", "telefon", "handy", "handynummer", "telefonnummer", "rufnummer", "portable", "telephone", "telemovel",
        "fone", "zap")) {
      NUMBER_CUES.put(Tokens.hashOf(w), 1);
    }
    for (String w : List.of("account", "acct", "ssn", "social", "policy", "claim", "order", "card", "confirmation", "booking", "reference",
        "ref", "ticket", "invoice", "pin", "zip", "zipcode", "postcode", "id", "routing", "iban", "tracking", "serial", "customer", "member",
        "cuenta", "pedido", "factura", "tarjeta", "konto", "bestellung", "rechnung", "karte", "kundennummer", "compte", "commande", "facture",
        "carte", "conta", "fatura", "cartao", "cpf")) {
      NUMBER_CUES.put(Tokens.hashOf(w), -1);
    }
  }

  /**
   * What the nearest cue word among the three words before token ti says the number is: 1 a
   * phone ("phone no is", "call me on"), -1 an id ("account number", "policy no"), 0 nothing.
   */
  static int numberCue(Tokens t, int ti) {
    for (int i = ti - 1; i >= Math.max(0, ti - 3); i--) {
      int v = NUMBER_CUES.get(t.hash[i], 0);
      if (v != 0) {
        return v;
      }
    }
    return 0;
  }

  private static boolean looksLikeDate(String g) {
    return g.matches("\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}");
  }

  private static boolean nearCurrency(String text, int s, int e) {
    for (int i = Math.max(0, s - 2); i < s; i++) {
      char c = text.charAt(i);
      if (c == '$' || c == '€' || c == '£') {
        return true;
      }
    }
    String after = text.substring(e, Math.min(text.length(), e + 6)).toLowerCase(Locale.ROOT).trim();
    return after.startsWith("€") || after.startsWith("$") || after.startsWith("eur") || after.startsWith("usd") || after.startsWith("dollar")
        || after.startsWith("k ") || after.equals("k");
  }

  /**
   * Money amounts. Value {@code MIN[-MAX] CUR[/period]}, CUR an ISO 4217 code or XXX when not
   * stated, period month|year|quarter|week|seat when stated.
   */
  static void budgets(String text, String f, boolean budgetCue, Tokens t, List<Slot> taken, List<Slot> out) {
    Matcher m = Rx.m(MONEY, f);
    m.useTransparentBounds(true);
    int done = 0;
    for (int ti = 0; ti < t.size; ti++) {
      int ts = t.start[ti];
      char c0 = f.charAt(ts);
      boolean digit = c0 >= '0' && c0 <= '9';
      if (ts < done || !(digit || CURRENCY_WORDS.contains(t.hash[ti]))) {
        continue;
      }
      int p = ts;
      if (digit) {
        int q = p - 1;
        while (q >= 0 && f.charAt(q) == ' ') {
          q--;
        }
        if (q >= 0 && (f.charAt(q) == '$' || f.charAt(q) == '€' || f.charAt(q) == '£')) {
          p = q;
          if (p > 0 && (f.charAt(p - 1) == 'r' || f.charAt(p - 1) == 's')) {
            p = Math.max(0, f.lastIndexOf(' ', p) + 1); // r$ and us$
          }
        }
      }
      m.region(p, f.length());
      if (!m.lookingAt()) {
        continue;
      }
      done = m.end();
      int s = m.start();
      int e = m.end();
      while (e > s && f.charAt(e - 1) == ' ') {
        e--;
      }
      while (s < e && f.charAt(s) == ' ') {
        s++;
      }
      if (overlaps(taken, s, e)) {
        continue;
      }
      String cur = currency(m.group(1), m.group(4));
      String cur2 = currency(m.group(5), m.group(8));
      if (cur == null) {
        cur = cur2;
      }
      double lo = Numbers.parse(m.group(2)) * Numbers.multiplier(m.group(3));
      double hi = m.group(6) == null ? Double.NaN : Numbers.parse(m.group(6)) * Numbers.multiplier(m.group(7));
      if (Double.isNaN(lo)) {
        continue;
      }
      if (!Double.isNaN(hi) && m.group(3) != null && m.group(7) == null && hi < lo) {
        hi = hi * Numbers.multiplier(m.group(3)); // "75-150k"
      }
      if (!Double.isNaN(hi) && m.group(3) == null && m.group(7) != null && lo < hi / 100) {
        lo = lo * Numbers.multiplier(m.group(7)); // "75-150k" read the other way
      }
      boolean hasMult = m.group(3) != null || m.group(7) != null;
      String period = period(m.group(9), m.group(10));
      double conf;
      if (cur != null) {
        conf = 0.92;
      } else if (budgetCue && (hasMult || period != null || lo >= 50) && !bareNumberIsSomethingElse(f, s, e, lo, hasMult)) {
        conf = hasMult || period != null ? 0.7 : 0.55;
      } else {
        continue;
      }
      if (lo < 1 && Double.isNaN(hi)) {
        continue;
      }
      StringBuilder v = new StringBuilder(Numbers.plain(lo));
      if (!Double.isNaN(hi) && hi != lo) {
        v.append('-').append(Numbers.plain(hi));
      }
      v.append(' ').append(cur == null ? "XXX" : cur);
      if (period != null) {
        v.append('/').append(period);
      }
      out.add(new Slot(SlotNames.BUDGET, v.toString(), text.substring(s, e), s, e, conf));
    }
  }

  private static final Pattern NOT_MONEY_AFTER = Pattern.compile(
      "\\s*(?:%|percent|times|x\\b|days?|weeks?|months?|years?|hours?|hrs?|minutes?|mins?|am\\b|pm\\b|a\\.m|p\\.m|o'clock|people|persons|users?|seats?|employees|"
          + "licen[cs]es?|agents?|items?|pcs|units?|gb|mb|tb|km|miles|st\\b|nd\\b|rd\\b|th\\b|dias|semanas|meses|anos|tage|wochen|monate|jahre|jours|mois|ans|uhr|h\\b)");

  private static boolean bareNumberIsSomethingElse(String f, int s, int e, double v, boolean hasMult) {
    if (!hasMult && v >= 1900 && v <= 2100 && e - s == 4) {
      return true; // a year
    }
    if (Rx.m(NOT_MONEY_AFTER, f).region(e, f.length()).lookingAt()) {
      return true;
    }
    int b = s - 1;
    while (b >= 0 && f.charAt(b) == ' ') {
      b--;
    }
    int w = b;
    while (w >= 0 && Character.isLetter(f.charAt(w))) {
      w--;
    }
    String prev = f.substring(w + 1, b + 1);
    return prev.equals("at") || prev.equals("past") || prev.equals("to") || prev.equals("quarter") || prev.equals("las") || prev.equals("um")
        || prev.equals("a") || prev.equals("room") || prev.equals("flight") || prev.equals("number") || prev.equals("no");
  }

  private static final java.util.Set<Long> CURRENCY_WORDS = java.util.stream.Stream.of("usd", "eur", "gbp", "brl", "chf", "mxn", "us", "r")
      .map(Tokens::hashOf).collect(java.util.stream.Collectors.toUnmodifiableSet());

  static String currency(String pre, String post) {
    String c = pre != null ? pre : post;
    if (c == null) {
      return null;
    }
    switch (c) {
      case "$":
      case "us$":
      case "usd":
      case "dollar":
      case "dollars":
      case "bucks":
        return "USD";
      case "€":
      case "eur":
      case "euro":
      case "euros":
        return "EUR";
      case "£":
      case "gbp":
      case "pound":
      case "pounds":
      case "quid":
        return "GBP";
      case "r$":
      case "brl":
      case "reais":
      case "real":
        return "BRL";
      case "chf":
      case "franc":
      case "francs":
        return "CHF";
      case "mxn":
      case "pesos":
        return "MXN";
      default:
        return null;
    }
  }

  private static String period(String unit, String adverb) {
    String p = unit != null ? unit : adverb;
    if (p == null) {
      return null;
    }
    if (p.startsWith("mo") || p.startsWith("mth") || p.equals("mes") || p.startsWith("mens") || p.equals("mois") || p.startsWith("monat") || p.startsWith("p.m") || p.equals("pm")) {
      return "month";
    }
    if (p.startsWith("y") || p.startsWith("annu") || p.equals("ano") || p.startsWith("jahr") || p.equals("an") || p.equals("annee") || p.equals("anual") || p.startsWith("p.a") || p.equals("pa")) {
      return "year";
    }
    if (p.startsWith("quarter")) {
      return "quarter";
    }
    if (p.startsWith("week")) {
      return "week";
    }
    return "seat";
  }

  static void timelines(String text, String f, LocalDate today, boolean dayFirst, Tokens t, int[] tf, int all, List<Slot> taken, List<Slot> out) {
    List<Dates.Found> found = new ArrayList<>(2);
    Dates.find(f, today, dayFirst, t, tf, all, found);
    for (Dates.Found d : found) {
      if (overlaps(taken, d.start(), d.end())) {
        continue;
      }
      out.add(new Slot(SlotNames.TIMELINE, d.date() + "|" + Dates.bucket(d.date(), today),
          text.substring(d.start(), d.end()), d.start(), d.end(), d.confidence()));
    }
  }

  /** Company size: value is a count ("200") or a range ("50-100"). */
  static void sizes(String text, String f, Tokens t, int all, List<Slot> taken, List<Slot> out) {
    Matcher m = Rx.m(SIZE, f);
    m.useTransparentBounds(true);
    int done = 0;
    for (int ti = 0; ti < t.size; ti++) {
      int ts = t.start[ti];
      char c0 = f.charAt(ts);
      if (ts < done || c0 < '0' || c0 > '9') {
        continue;
      }
      m.region(ts, f.length());
      if (!m.lookingAt()) {
        continue;
      }
      done = m.end();
      if (overlaps(taken, m.start(), m.end())) {
        continue;
      }
      double lo = Numbers.parse(m.group(1)) * (m.group(2) != null ? 1000 : 1);
      double hi = m.group(3) == null ? Double.NaN : Numbers.parse(m.group(3)) * (m.group(4) != null ? 1000 : 1);
      if (Double.isNaN(lo) || lo < 1 || lo > 5_000_000) {
        continue;
      }
      String v = Numbers.plain(lo) + (Double.isNaN(hi) || hi == lo ? "" : "-" + Numbers.plain(hi));
      out.add(new Slot(SlotNames.COMPANY_SIZE, v, text.substring(m.start(), m.end()), m.start(), m.end(), 0.9));
    }
    m = Rx.m(TEAM_OF, f);
    while ((all & Triggers.TEAM) != 0 && m.find()) {
      if (overlaps(taken, m.start(1), m.end()) || overlaps(out, m.start(1), m.end())) {
        continue;
      }
      double n = Numbers.parse(m.group(1)) * (m.group(2) != null ? 1000 : 1);
      if (Double.isNaN(n) || n < 2 || n > 5_000_000) {
        continue;
      }
      out.add(new Slot(SlotNames.COMPANY_SIZE, Numbers.plain(n), text.substring(m.start(), m.end()), m.start(), m.end(), 0.75));
    }
  }

  static void companies(String text, String f, boolean lowerCaseText, Tokens t, int[] tf, int all, List<Slot> taken, List<Slot> out) {
    if (lowerCaseText) {
      Matcher m = Rx.m(COMPANY_LOWER_STRONG, f);
      for (int ti = 0; ti < t.size && (all & Triggers.CO_STRONG) != 0; ti++) {
        if ((tf[ti] & Triggers.CO_STRONG) == 0) {
          continue;
        }
        m.region(t.start[ti], f.length());
        if (!m.lookingAt() || afterOrgWord(f, t, ti)) {
          continue;
        }
        String name = stripTrailingStopwords(m.group(1));
        if (!name.isEmpty() && !NOT_COMPANIES.contains(name) && !overlaps(taken, m.start(1), m.start(1) + name.length())) {
          out.add(new Slot(SlotNames.COMPANY, name, text.substring(m.start(1), m.start(1) + name.length()), m.start(1), m.start(1) + name.length(), 0.6));
        }
      }
      m = Rx.m(COMPANY_LOWER_LEGAL, f);
      while ((all & Triggers.LEGAL) != 0 && m.find()) {
        if (overlaps(out, m.start(), m.end()) || overlaps(taken, m.start(), m.end())) {
          continue;
        }
        String first = m.group(1).split(" ")[0];
        if (NOT_COMPANIES.contains(first) || NOT_NAMES.contains(first) || "the".equals(first) || "a".equals(first)) {
          String rest = m.group(1).contains(" ") ? m.group(1).substring(m.group(1).indexOf(' ') + 1) : null;
          if (rest == null) {
            continue;
          }
          int s = m.start(1) + first.length() + 1;
          out.add(new Slot(SlotNames.COMPANY, f.substring(s, m.end()), text.substring(s, m.end()), s, m.end(), 0.55));
          continue;
        }
        out.add(new Slot(SlotNames.COMPANY, f.substring(m.start(), m.end()), text.substring(m.start(), m.end()), m.start(), m.end(), 0.55));
      }
      return;
    }
    Matcher m = Rx.m(COMPANY_LEGAL, text);
    while ((all & Triggers.LEGAL) != 0 && m.find()) {
      int s = m.start(1);
      String name = text.substring(s, m.end()).trim();
      if (name.endsWith(".") && name.length() > 3 && Character.isLetter(name.charAt(name.length() - 2)) && Character.isLetter(name.charAt(name.length() - 3))) {
        name = name.substring(0, name.length() - 1);
      }
      String firstWord = name.split("\\s")[0].toLowerCase(Locale.ROOT);
      if (NOT_COMPANIES.contains(firstWord) || overlaps(taken, s, m.end())) {
        continue;
      }
      out.add(new Slot(SlotNames.COMPANY, name, name, s, s + name.length(), 0.9));
    }
    if ((all & Triggers.CO_STRONG) != 0) {
      collectCompany(Rx.m(COMPANY_STRONG, text), text, 0.85, t, tf, Triggers.CO_STRONG, taken, out);
    }
    if ((all & Triggers.CO_WEAK) != 0) {
      collectCompany(Rx.m(COMPANY_WEAK, text), text, 0.55, t, tf, Triggers.CO_WEAK, taken, out);
    }
  }

  private static void collectCompany(Matcher m, String text, double conf, Tokens t, int[] tf, int flag, List<Slot> taken, List<Slot> out) {
    for (int ti = 0; ti < t.size; ti++) {
      if ((tf[ti] & flag) == 0) {
        continue;
      }
      m.region(t.start[ti], text.length());
      if (!m.lookingAt()) {
        continue;
      }
      int s = m.start(1);
      String name = trimName(m.group(1));
      if (name.isEmpty()) {
        continue;
      }
      int e = s + name.length();
      String lower = name.toLowerCase(Locale.ROOT);
      String first = lower.split("\\s")[0];
      if (NOT_COMPANIES.contains(lower) || NOT_COMPANIES.contains(first) || overlaps(out, s, e) || overlaps(taken, s, e)) {
        continue;
      }
      if (conf < 0.8 && (s == 0 || Character.isDigit(name.charAt(0)) || isSentenceStart(text, m.start()))) {
        // weak cue: "From Monday", "At 5pm" at the start of a sentence, or numbers
        if (Character.isDigit(name.charAt(0))) {
          continue;
        }
      }
      if (Dates.MONTHS.containsKey(first) || Dates.WEEKDAYS.containsKey(first)) {
        continue;
      }
      out.add(new Slot(SlotNames.COMPANY, name, name, s, e, conf));
    }
  }

  private static boolean isSentenceStart(String text, int at) {
    int i = at - 1;
    while (i >= 0 && text.charAt(i) == ' ') {
      i--;
    }
    return i < 0 || ".!?\n".indexOf(text.charAt(i)) >= 0;
  }

  private static final Set<String> CONNECTORS = Set.of("of", "and", "y", "und", "et", "e", "de", "du", "der", "la", "the");

  private static String trimName(String s) {
    String r = s.trim();
    for (String stop : new String[] {". ", ", ", "! ", "? ", "; "}) {
      int k = r.indexOf(stop);
      if (k > 0) {
        r = r.substring(0, k);
      }
    }
    while (r.endsWith(".") || r.endsWith(",") || r.endsWith("-") || r.endsWith("'")) {
      r = r.substring(0, r.length() - 1);
    }
    // drop trailing connector words
    String[] parts = r.split("\\s");
    int n = parts.length;
    while (n > 1 && CONNECTORS.contains(parts[n - 1].toLowerCase(Locale.ROOT))) {
      n--;
    }
    return String.join(" ", java.util.Arrays.copyOf(parts, n));
  }

  private static String stripTrailingStopwords(String s) {
    String[] p = s.split(" ");
    int n = p.length;
    while (n > 0 && (NOT_NAMES.contains(p[n - 1]) || NOT_COMPANIES.contains(p[n - 1]) || p[n - 1].equals("and"))) {
      n--;
    }
    return String.join(" ", java.util.Arrays.copyOf(p, n));
  }

  static void names(String text, String f, boolean lowerCaseText, Tokens t, int[] tf, int all, List<Slot> taken, List<Slot> out) {
    if ((all & (Triggers.NAME_STRONG | Triggers.NAME_WEAK)) == 0) {
      return;
    }
    if (lowerCaseText) {
      Matcher m = Rx.m(NAME_LOWER, f);
      for (int ti = 0; ti < t.size; ti++) {
        if ((tf[ti] & Triggers.NAME_STRONG) == 0) {
          continue;
        }
        m.region(t.start[ti], f.length());
        if (!m.lookingAt() || afterOrgWord(f, t, ti)) {
          continue;
        }
        String name = stripTrailingStopwords(m.group(1));
        int s = m.start(1);
        // "my name is" and "name is" both start a match: one name, said once
        if (name.isEmpty() || NOT_NAMES.contains(name.split(" ")[0]) || overlaps(out, s, s + name.length())) {
          continue;
        }
        out.add(new Slot(SlotNames.NAME, name, text.substring(s, s + name.length()), s, s + name.length(), 0.6));
      }
      return;
    }
    collectName(Rx.m(NAME_STRONG, text), text, 0.9, t, tf, Triggers.NAME_STRONG, taken, out);
    Matcher lm = Rx.m(NAME_LOWER, f);
    for (int ti = 0; ti < t.size; ti++) {
      if ((tf[ti] & Triggers.NAME_STRONG) == 0) {
        continue;
      }
      lm.region(t.start[ti], f.length());
      if (!lm.lookingAt() || afterOrgWord(f, t, ti)) {
        continue;
      }
      String name = stripTrailingStopwords(lm.group(1));
      int s = lm.start(1);
      if (name.isEmpty() || NOT_NAMES.contains(name.split(" ")[0]) || overlaps(out, s, s + name.length())) {
        continue;
      }
      out.add(new Slot(SlotNames.NAME, text.substring(s, s + name.length()), text.substring(s, s + name.length()), s, s + name.length(), 0.6));
    }
    collectName(Rx.m(NAME_WEAK, text), text, 0.65, t, tf, Triggers.NAME_WEAK, taken, out);
  }

  private static final java.util.Set<String> ORG_WORDS = setOf("company", "companys", "business", "organization", "organisation", "firm",
      "empresa", "firma", "unternehmen", "entreprise", "societe", "product", "brand", "account", "user", "team", "project");

  /** "company name is X" names a company, not a person. */
  private static boolean afterOrgWord(String f, Tokens t, int ti) {
    return ti > 0 && ORG_WORDS.contains(t.text(ti - 1));
  }

  private static void collectName(Matcher m, String text, double conf, Tokens t, int[] tf, int flag, List<Slot> taken, List<Slot> out) {
    for (int ti = 0; ti < t.size; ti++) {
      if ((tf[ti] & flag) == 0) {
        continue;
      }
      m.region(t.start[ti], text.length());
      if (!m.lookingAt() || afterOrgWord(text, t, ti)) {
        continue;
      }
      String name = m.group(1);
      String[] parts = name.split("\\s");
      int keep = 0;
      for (String p : parts) {
        if (NOT_NAMES.contains(p.toLowerCase(Locale.ROOT))) {
          break;
        }
        keep++;
      }
      if (keep == 0) {
        continue;
      }
      name = String.join(" ", java.util.Arrays.copyOf(parts, keep));
      int s = m.start(1);
      int e = s + name.length();
      if (overlaps(out, s, e) || overlaps(taken, s, e)) {
        continue;
      }
      out.add(new Slot(SlotNames.NAME, name, name, s, e, conf));
    }
  }

  static boolean overlaps(List<Slot> slots, int s, int e) {
    for (int i = 0; i < slots.size(); i++) {
      Slot x = slots.get(i);
      if (s < x.end() && x.start() < e) {
        return true;
      }
    }
    return false;
  }
}
