package dev.leadqual.udfs.understand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leadqual.udfs.text.Fold;
import dev.leadqual.udfs.text.Tokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a chat message says: language, category and fine intent, sentiment, urgency, whether the
 * visitor asks for a human or for sales, and the qualification slots.
 *
 * <p>How the parts combine (explicably): a hashed-n-gram logistic regression gives category
 * probabilities; hand-written per-language cue phrases ({@code cues.tsv}) give each category a
 * boost (the strongest cue of that category's intents), added to the model's log-probabilities
 * before a softmax. The fine intent is the strongest cue intent within the winning category, else
 * a default per category. Slots come from patterns, libphonenumber and Commons Validator, and the
 * product catalogue. Immutable after construction and thread-safe; build it once per operator.
 */
public final class Understander {
  static final String RESOURCE_DIR = "/dev/leadqual/udfs/understand/";
  public static final String MODEL_RESOURCE = RESOURCE_DIR + "intent-model.bin.gz";
  public static final String TAGGER_RESOURCE = RESOURCE_DIR + "entity-tagger.bin.gz";
  static final String[] LANGS = {"en", "es", "de", "fr", "pt"};
  /** Weight of cue boosts relative to the model's log-probabilities. */
  static final double CUE_WEIGHT = 1.0;
  /** Temperature on the model's log-probabilities (it is over-confident out of domain). */
  static final double MODEL_WEIGHT = 0.5;
  /** Floor on the model's probabilities before the log: a confident model cannot veto a strong cue outright. */
  static final double FLOOR = 1e-3;
  /**
   * Taken from "other" when a sales, presales or support cue of weight 2 or more fired: such a
   * message is not small talk, however sure the model is (it learnt "other" from personal-assistant
   * and slot-answer data, where food, travel and account words are common).
   */
  static final double OTHER_PENALTY = 2.0;

  private final HashedLinearModel model;
  private final EntityTagger tagger;
  private final Lexicon lexicon;
  private final String modelId;

  private Understander(HashedLinearModel model, EntityTagger tagger, Lexicon lexicon, String rulesHash) {
    this.model = model;
    this.tagger = tagger;
    this.lexicon = lexicon;
    this.modelId = (model == null ? "rules-only" : model.id()) + (tagger == null ? "" : "+" + tagger.id()) + "+rules-" + rulesHash;
  }

  /** Loads the committed model, the cue lexicon and the default product catalogue from the classpath. */
  public static Understander loadDefault() {
    return load(null);
  }

  /** Same as {@link #loadDefault()} with another product catalogue (JSON as in {@code catalogue.json}). */
  public static Understander load(String catalogueJson) {
    try (InputStream m = Understander.class.getResourceAsStream(MODEL_RESOURCE);
        InputStream g = Understander.class.getResourceAsStream(TAGGER_RESOURCE)) {
      if (m == null || g == null) {
        throw new IllegalStateException("model resource missing: " + (m == null ? MODEL_RESOURCE : TAGGER_RESOURCE));
      }
      return withModels(HashedLinearModel.read(m), EntityTagger.read(g), catalogueJson);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The committed entity tagger (person and company names). */
  public static EntityTagger defaultTagger() {
    try (InputStream g = Understander.class.getResourceAsStream(TAGGER_RESOURCE)) {
      if (g == null) {
        throw new IllegalStateException("model resource missing: " + TAGGER_RESOURCE);
      }
      return EntityTagger.read(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An understander over the given intent model without entity tagger (names from rules only); null means rules only. */
  public static Understander withModel(HashedLinearModel model, String catalogueJson) {
    return withModels(model, null, catalogueJson);
  }

  /**
   * An understander over the given intent model and entity tagger (training and evaluation); a
   * null model means cue rules only for the category, a null tagger names from rules only.
   */
  public static Understander withModels(HashedLinearModel model, EntityTagger tagger, String catalogueJson) {
    return withModels(model, tagger, catalogueJson, true);
  }

  /**
   * As {@link #withModels(HashedLinearModel, EntityTagger, String)}; {@code typoTolerant} false
   * turns off the lexicon's reading of misspelt cue words (evaluation only: to measure what it adds).
   */
  public static Understander withModels(HashedLinearModel model, EntityTagger tagger, String catalogueJson, boolean typoTolerant) {
    try {
      byte[] cues = resource("cues.tsv");
      byte[] cat = catalogueJson != null ? catalogueJson.getBytes(StandardCharsets.UTF_8) : resource("catalogue.json");
      Lexicon lex = Lexicon.read(new InputStreamReader(new java.io.ByteArrayInputStream(cues), StandardCharsets.UTF_8));
      JsonNode c = new ObjectMapper().readTree(cat);
      for (JsonNode p : c.path("products")) {
        String id = p.path("id").asText();
        for (JsonNode a : p.path("aliases")) {
          lex.add("need", id, 1.0, "*", a.asText());
        }
      }
      for (JsonNode comp : c.path("competitors")) {
        lex.add("competitor", comp.asText(), 1.0, "*", comp.asText());
      }
      if (typoTolerant) {
        lex.enableTypoTolerance(tagger != null ? tagger.vocab : CommonWords.DEFAULT);
      }
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      md.update(cues);
      md.update(cat);
      if (typoTolerant) {
        md.update("typo-tolerant lexicon 1".getBytes(StandardCharsets.UTF_8)); // the rules read misspelt cue words
      }
      String hash = java.util.HexFormat.of().formatHex(md.digest()).substring(0, 8);
      return new Understander(model, tagger, lex, hash);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The committed tagger's common-word vocabulary, loaded on first use (for understanders built without the tagger). */
  private static final class CommonWords {
    static final long[] DEFAULT = defaultTagger().vocab;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = Understander.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IOException("resource missing: " + name);
      }
      return in.readAllBytes();
    }
  }

  /** The intent-category model (null when rules only). */
  public HashedLinearModel intentModel() {
    return model;
  }

  /** Model id and rules hash; goes into every audit record. */
  public String modelId() {
    return modelId;
  }

  /**
   * @param text the message text (null or blank gives an "other" understanding without slots)
   * @param languageHint ISO 639-1 code or a locale like "de-DE"; nullable
   * @param sentAtEpochMillis the message time; relative dates resolve against its UTC date
   */
  public Understanding understand(String text, String languageHint, long sentAtEpochMillis) {
    return understand(text, languageHint, sentAtEpochMillis, null);
  }

  /**
   * Understanding of a reply to a question: when the bot has just asked for {@code expectedSlot}
   * and the message is a short answer ("around 150k", "about 40 of us", "CTO", "Dana", "0176
   * 1234567"), it is read as that slot where the rules alone refuse (see {@link ExpectedAnswers}),
   * with a confidence below an explicit statement, and its intent is {@code answer}.
   *
   * @param expectedSlot the slot asked for (a slot name of {@link SlotNames}, or {@code contact}
   *     for email or phone); null gives exactly {@link #understand(String, String, long)}
   */
  public Understanding understand(String text, String languageHint, long sentAtEpochMillis, String expectedSlot) {
    if (text == null || text.isBlank()) {
      String l = hintLanguage(languageHint);
      return new Understanding("other", "out_of_scope", 1.0, l == null ? "und" : l, l == null ? 0 : 1, 0, "low", false, false, List.of());
    }
    char[] folded = Fold.fold(text);
    Tokens t = Tokens.of(folded);
    List<Lexicon.Hit> hits = new ArrayList<>(8);
    lexicon.match(t, hits);

    // ---- language
    double[] lang = new double[LANGS.length];
    for (Lexicon.Hit h : hits) {
      if ("lang".equals(h.entry.kind)) {
        lang[langIndex(h.entry.value)] += 1;
      }
    }
    diacritics(text, lang);
    int best = 0;
    double sum = 0;
    for (int i = 0; i < lang.length; i++) {
      sum += lang[i];
      if (lang[i] > lang[best]) {
        best = i;
      }
    }
    String hint = hintLanguage(languageHint);
    String language;
    double langConf;
    if (sum == 0) {
      language = hint != null ? hint : "en";
      langConf = hint != null ? 0.6 : 0.3;
    } else {
      language = LANGS[best];
      langConf = (lang[best] + 0.5) / (sum + 1.0 + (sum < 3 ? 1.0 : 0));
      if (hint != null && !hint.equals(language)) {
        int hi = langIndex(hint);
        if (hi >= 0 && lang[hi] >= lang[best] * 0.6) {
          language = hint;
          langConf = Math.max(0.5, (lang[hi] + 0.5) / (sum + 1.0));
        }
      }
    }
    langConf = Math.min(0.99, langConf);

    // ---- cues
    Map<String, Double> intentScore = new HashMap<>(8);
    boolean wantsHuman = false;
    boolean hasBudgetCue = false;
    boolean hasTemporal = false;
    double sentimentSum = 0;
    int urgency = 0;
    for (Lexicon.Hit h : hits) {
      Lexicon.Entry e = h.entry;
      switch (e.kind) {
        case "intent":
          if (!coveredByOtherCategory(hits, h)) {
            intentScore.merge(e.value, e.weight, Math::max);
          }
          break;
        case "human":
          wantsHuman = true;
          break;
        case "budget":
          hasBudgetCue = true;
          break;
        case "pos":
        case "neg": {
          double v = "pos".equals(e.kind) ? 1 : -1;
          if (negated(hits, h)) {
            v = -v * 0.7;
          }
          sentimentSum += v;
          break;
        }
        case "urgent":
          urgency = Math.max(urgency, "high".equals(e.value) ? 2 : 1);
          break;
        default:
          break;
      }
    }
    // "talk/speak/contact ... a salesperson / the sales team" is an explicit sales request
    for (Lexicon.Hit v : hits) {
      if ("human_verb".equals(v.entry.kind)) {
        for (Lexicon.Hit c : hits) {
          if ("intent".equals(c.entry.kind) && "contact_sales".equals(c.entry.value) && c.from >= v.to && c.from - v.to <= 3) {
            intentScore.merge("contact_sales", 3.2, Math::max);
          }
        }
      }
    }
    for (Lexicon.Hit h : hits) {
      // "order 00123842", "purchase #370795561790": an existing order, not a wish to buy
      if ("order_ref".equals(h.entry.kind) && h.to < t.size && hasIdAt(t, h.to)) {
        intentScore.merge(h.entry.value, h.entry.weight, Math::max);
      }
    }
    double acquire = acquireFrame(t, hits);
    if (acquire > 0) {
      intentScore.merge("purchase", acquire, Math::max);
    }
    if (intentScore.containsKey("how_to") && hasLeadCue(intentScore)) {
      // "how do I order / sign up / upgrade": a question about buying, not about using the product
      intentScore.remove("how_to");
    }
    boolean wantsSales = intentScore.getOrDefault("contact_sales", 0.0) >= 3.0;
    if (!wantsHuman && !wantsSales) {
      // "talk/speak/chat/contact ... someone/a person/an agent" (any order of up to 3 words between)
      for (Lexicon.Hit v : hits) {
        if (!"human_verb".equals(v.entry.kind)) {
          continue;
        }
        for (Lexicon.Hit n : hits) {
          if ("human_noun".equals(n.entry.kind) && n.from >= v.to && n.from - v.to <= 3) {
            wantsHuman = true;
          }
        }
      }
    }
    if (wantsSales && wantsHuman) {
      // "talk to a sales rep" is a sales request; "a person" alone stays a human request
      wantsHuman = !onlyHumanWithinSales(hits);
    }

    // ---- category: model + cue boosts
    double[] p = new double[4];
    if (model != null) {
      int[][] holder = {FEATS.get()};
      int n = HashedLinearModel.features(t, model.bits, holder);
      FEATS.set(holder[0]);
      model.predict(holder[0], n, p);
    } else {
      // rules only: without a cue a message is most likely small talk or an existing customer
      p[0] = 0.15;
      p[1] = 0.15;
      p[2] = 0.3;
      p[3] = 0.4;
    }
    double[] boost = new double[4];
    for (Lexicon.Hit h : hits) {
      if ("existing".equals(h.entry.kind) && !coveredByOtherCategory(hits, h)) {
        boost[2] = Math.max(boost[2], h.entry.weight); // the customer's own account/order state: support
      }
    }
    for (Map.Entry<String, Double> e : intentScore.entrySet()) {
      int c = Intents.categoryIndex(Intents.CATEGORY_OF.get(e.getKey()));
      double w = e.getValue();
      if (c == 3 && t.size > 3) {
        w *= 0.3; // "Hi, ..." opens many messages that are about something else
      }
      boost[c] = Math.max(boost[c], w);
    }
    if (Math.max(boost[0], Math.max(boost[1], boost[2])) >= 2.0) {
      boost[3] -= OTHER_PENALTY; // a message with a sales, presales or support cue is not small talk
    }
    double[] z = new double[4];
    for (int c = 0; c < 4; c++) {
      z[c] = MODEL_WEIGHT * Math.log(Math.max(p[c], FLOOR)) + CUE_WEIGHT * boost[c];
    }

    // ---- slots
    long millis = sentAtEpochMillis > 0 ? sentAtEpochMillis : System.currentTimeMillis();
    LocalDate today = Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC).toLocalDate();
    List<Slot> slots = new ArrayList<>(4);
    boolean hasDigit = false;
    boolean hasUpper = false;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch >= '0' && ch <= '9') {
        hasDigit = true;
      } else if (Character.isUpperCase(ch)) {
        hasUpper = true;
      }
    }
    int[] union = new int[1];
    int[] tf = Triggers.of(t, union);
    int all = union[0];
    String f = new String(folded);
    Slots.emails(text, folded, all, slots);
    if (hasDigit) {
      Slots.phones(text, region(language), hint == null || hint.equals(language) ? null : region(hint), t, slots);
    }
    for (Lexicon.Hit h : hits) {
      if (isTemporalHint(h)) {
        hasTemporal = true;
        break;
      }
    }
    if (hasDigit || all != 0) {
      Slots.timelines(text, f, today, !"en".equals(language), t, tf, all, slots, slots);
    }
    if (hasDigit) {
      Slots.sizes(text, f, t, all, slots, slots);
      Slots.budgets(text, f, hasBudgetCue, t, slots, slots);
    }
    boolean lower = !hasUpper;
    lexiconSlots(text, t, hits, slots);
    int before = slots.size();
    Slots.names(text, f, lower, t, tf, all, slots, slots);
    for (int i = slots.size() - 1; i >= before; i--) {
      Slot s = slots.get(i);
      for (Lexicon.Hit h : hits) {
        String k = h.entry.kind;
        if (!h.corrected && ("title".equals(k) || "intent".equals(k) || "need".equals(k) || "competitor".equals(k) || "human".equals(k))
            && t.start[h.from] < s.end() && s.start() < t.end[h.to - 1]) {
          slots.remove(i);
          break;
        }
      }
    }
    Slots.companies(text, f, lower, t, tf, all, slots, slots);
    if (tagger != null && "en".equals(language)) {
      // trained on English only: in German every noun is capitalised, and the other languages
      // have no training data; their names come from the rules
      taggedNames(text, t, hits, slots);
    }
    slots.sort(Comparator.comparingInt(Slot::start));
    boolean answered = expectedSlot != null && ExpectedAnswers.read(expectedSlot, text, f, t, hits, region(language),
        hint == null || hint.equals(language) ? null : region(hint), tagger == null ? null : tagger.vocab, slots);
    if (answered) {
      slots.sort(Comparator.comparingInt(Slot::start));
    }

    HashedLinearModel.softmax(z, 4);
    int cat = argmax(z);
    if (cat != 2) {
      // qualification details (budget, seats, authority, product interest) are a buying signal
      double evidence = 0;
      for (Slot s : slots) {
        switch (s.name()) {
          case SlotNames.BUDGET: evidence += 2.5; break;
          case SlotNames.COMPANY_SIZE: evidence += 1.0; break;
          case SlotNames.NEED: evidence += 0.8; break;
          case SlotNames.AUTHORITY: evidence += 0.8; break;
          case SlotNames.COMPETITOR: evidence += 0.5; break;
          default: break;
        }
      }
      if (evidence > 0 && boost[0] == 0 && boost[1] < evidence) {
        for (int c = 0; c < 4; c++) {
          z[c] = MODEL_WEIGHT * Math.log(Math.max(p[c], FLOOR)) + CUE_WEIGHT * (c == 1 ? Math.max(boost[1], Math.min(evidence, 5.0)) : boost[c]);
        }
        HashedLinearModel.softmax(z, 4);
        cat = argmax(z);
      }
    }

    for (int c = 1; c < 4; c++) {
      if (z[c] > z[cat]) {
        cat = c;
      }
    }
    String category = Intents.CATEGORIES.get(cat);

    // ---- fine intent
    String intent = null;
    double bestCue = 0;
    for (Map.Entry<String, Double> e : intentScore.entrySet()) {
      if (Intents.CATEGORY_OF.get(e.getKey()).equals(category) && e.getValue() > bestCue) {
        bestCue = e.getValue();
        intent = e.getKey();
      }
    }
    if ("how_to".equals(intent)) {
      // "how do I get my refund": the specific support intent says more than "how to"
      String specific = null;
      double specificScore = 1.5;
      for (Map.Entry<String, Double> e : intentScore.entrySet()) {
        if (!"how_to".equals(e.getKey()) && "support".equals(Intents.CATEGORY_OF.get(e.getKey())) && e.getValue() >= specificScore) {
          specific = e.getKey();
          specificScore = e.getValue();
        }
      }
      if (specific != null) {
        intent = specific;
      }
    }
    if (answered && (intent == null || "other".equals(category))) {
      intent = "answer"; // the reply to the question asked, small talk around it aside
    }
    if (intent == null) {
      if ("other".equals(category) && !slots.isEmpty() && t.size <= 8 && text.indexOf('?') < 0 && !startsWithQuestionWord(t)) {
        intent = "answer";
      } else if ("other".equals(category) && t.size <= 3 && !wantsHuman) {
        intent = "answer";
      } else {
        intent = Intents.DEFAULT_INTENT.get(category);
      }
    }

    // ---- sentiment and urgency
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '!' && sentimentSum != 0) {
        sentimentSum *= 1.15;
      }
    }
    double sentiment = Math.tanh(0.7 * sentimentSum);
    if (urgency < 1) {
      for (Slot s : slots) {
        if (SlotNames.TIMELINE.equals(s.name()) && s.value().endsWith("|now")) {
          urgency = 1;
          break;
        }
      }
    }
    if (urgency < 2 && sentiment <= -0.6 && "support".equals(category)) {
      urgency = Math.max(urgency, 1);
    }
    String urgencyLabel = urgency == 2 ? "high" : urgency == 1 ? "medium" : "low";

    return new Understanding(category, intent, round(z[cat]), language, round(langConf), round(sentiment),
        urgencyLabel, wantsHuman, wantsSales, slots);
  }

  /**
   * A wish to acquire something: a desire verb ("want", "need", "would like", "quiero", "möchte",
   * "voudrais", "quero" ... kind {@code acquire_verb/want}) or an acquisition verb ("get", "buy",
   * "order", "apply for" ... {@code acquire_verb/get}; "open", "create" ... {@code acquire_verb/open}
   * only with an account or subscription; "add" only with a quantity or seats/licences/a plan)
   * followed within two words by something new
   * or more ("new", "another", "additional", "nuevo", "neue" ... {@code acquire_obj/new}), a
   * quantity (a number or a number word), an account or subscription, a bookable thing (a
   * flight, a room, a licence, a plan) or a service or connection — and, after a desire verb only,
   * by an article ("I'd like a large pizza"). Not when "my/our" comes between ("I need my new
   * card activated"), a negator comes just before the verb, or a support object follows or
   * precedes the object ("a new password", "a refund", "two days", "customer service": kind
   * {@code acquire_not}). Returns the purchase boost (the object's
   * weight), 0 when there is no such frame.
   */
  private static double acquireFrame(Tokens t, List<Lexicon.Hit> hits) {
    double best = 0;
    for (Lexicon.Hit v : hits) {
      if (!"acquire_verb".equals(v.entry.kind) || negated(hits, v)) {
        continue;
      }
      boolean want = "want".equals(v.entry.value);
      boolean open = "open".equals(v.entry.value); // "open / create ..." only an account, not "open the internet browser"
      boolean add = "add".equals(v.entry.value); // "add ..." only a quantity or seats/licences, not "add a new admin"
      for (int i = v.to; i < t.size && i <= v.to + 2; i++) {
        if (isKind(hits, "mine", i)) {
          break;
        }
        double w = 0;
        int objEnd = i + 1;
        if (t.isNumber(i)) {
          w = t.length(i) <= 4 && !open ? 2.0 : 0; // a quantity, not an order or account number
        } else {
          for (Lexicon.Hit o : hits) {
            if ("acquire_obj".equals(o.entry.kind) && o.from == i && (want || !"article".equals(o.entry.value))
                && (!open || "account".equals(o.entry.value)) && (!add || "thing".equals(o.entry.value) || "quantity".equals(o.entry.value))
                && o.entry.weight > w) {
              w = o.entry.weight;
              objEnd = o.to;
            }
          }
        }
        if (w > best && !supportObject(t, hits, objEnd) && !(i > v.to && isKind(hits, "acquire_not", i - 1))) {
          best = w;
        }
      }
    }
    if (best == 0 && t.size <= 6) {
      // a short message that starts with "new / another ..." and names an account, a bookable
      // thing or a service: "new cable service", "new premium account", "another licence"
      for (Lexicon.Hit n : hits) {
        if (n.from == 0 && "acquire_obj".equals(n.entry.kind) && "new".equals(n.entry.value)) {
          for (Lexicon.Hit o : hits) {
            if ("acquire_obj".equals(o.entry.kind) && o.from >= n.to && o.from <= n.to + 1 && OBJECTS.contains(o.entry.value)
                && !supportObject(t, hits, o.to) && !isKind(hits, "acquire_not", o.from)) {
              best = Math.max(best, 2.0);
            }
          }
        }
      }
    }
    return best;
  }

  private static final java.util.Set<String> OBJECTS = java.util.Set.of("account", "thing", "service");

  private static final long[] ID_WORDS = java.util.stream.Stream.of("number", "no", "nr", "num", "id", "nummer", "numero", "n")
      .mapToLong(Tokens::hashOf).sorted().toArray();

  /** An id (5+ characters with a digit) at token i, or after "number"/"no"/"nr" there. */
  private static boolean hasIdAt(Tokens t, int i) {
    if (i + 1 < t.size && java.util.Arrays.binarySearch(ID_WORDS, t.hash[i]) >= 0) {
      i++;
    }
    if (t.length(i) < 5) {
      return false;
    }
    for (int k = t.start[i]; k < t.end[i]; k++) {
      if (t.chars[k] >= '0' && t.chars[k] <= '9') {
        return true;
      }
    }
    return false;
  }

  /** A support object ({@code acquire_not}) or "my/our" within the three words after position from. */
  private static boolean supportObject(Tokens t, List<Lexicon.Hit> hits, int from) {
    for (int i = from; i < t.size && i < from + 3; i++) {
      if (isKind(hits, "acquire_not", i) || isKind(hits, "mine", i)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isKind(List<Lexicon.Hit> hits, String kind, int token) {
    for (Lexicon.Hit h : hits) {
      if (h.from == token && kind.equals(h.entry.kind)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when a longer intent or existing-customer phrase of another category covers this hit:
   * "payment" (billing) inside "payment methods" (presales), "sign up" inside "can't sign up".
   */
  private static boolean coveredByOtherCategory(List<Lexicon.Hit> hits, Lexicon.Hit h) {
    String cat = categoryOf(h);
    for (Lexicon.Hit o : hits) {
      if (o != h && o.from <= h.from && o.to >= h.to && o.to - o.from > h.to - h.from) {
        String oc = categoryOf(o);
        if (oc != null && !oc.equals(cat)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String categoryOf(Lexicon.Hit h) {
    if ("intent".equals(h.entry.kind)) {
      return Intents.CATEGORY_OF.get(h.entry.value);
    }
    return "existing".equals(h.entry.kind) ? "support" : null;
  }

  private static boolean hasLeadCue(Map<String, Double> intentScore) {
    for (String k : intentScore.keySet()) {
      String c = Intents.CATEGORY_OF.get(k);
      if ("sales".equals(c) || "presales".equals(c)) {
        return true;
      }
    }
    return false;
  }

  private static boolean wantsSalesCue(Map<String, Double> intentScore) {
    return intentScore.getOrDefault("contact_sales", 0.0) >= 3.0;
  }

  private static int argmax(double[] z) {
    int best = 0;
    for (int c = 1; c < z.length; c++) {
      if (z[c] > z[best]) {
        best = c;
      }
    }
    return best;
  }

  private static final long[] QUESTION_WORDS = java.util.stream.Stream.of("what", "whats", "how", "who", "where", "when", "why", "which",
      "que", "como", "quien", "donde", "cuando", "cual", "wie", "was", "wer", "wo", "wann", "warum", "welche", "quoi", "comment", "qui",
      "ou", "quand", "pourquoi", "quel", "quelle", "onde", "quando", "quem", "qual", "porque", "do", "does", "is", "are", "can", "could")
      .mapToLong(Tokens::hashOf).sorted().toArray();

  private static boolean startsWithQuestionWord(Tokens t) {
    return t.size > 0 && java.util.Arrays.binarySearch(QUESTION_WORDS, t.hash[0]) >= 0;
  }

  private static final ThreadLocal<int[]> FEATS = ThreadLocal.withInitial(() -> new int[512]);

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }

  private static boolean negated(List<Lexicon.Hit> hits, Lexicon.Hit h) {
    for (Lexicon.Hit o : hits) {
      if ("negator".equals(o.entry.kind) && o.to <= h.from && h.from - o.to <= 2) {
        return true;
      }
    }
    return false;
  }

  private static boolean onlyHumanWithinSales(List<Lexicon.Hit> hits) {
    for (Lexicon.Hit h : hits) {
      if ("human".equals(h.entry.kind)) {
        boolean inside = false;
        for (Lexicon.Hit s : hits) {
          if ("contact_sales".equals(s.entry.value) && "intent".equals(s.entry.kind) && h.from < s.to && s.from < h.to + 2) {
            inside = true;
          }
        }
        if (!inside) {
          return false;
        }
      }
    }
    return true;
  }

  private static final java.util.Set<String> TEMPORAL_URGENT = java.util.Set.of("high", "medium");

  private static boolean isTemporalHint(Lexicon.Hit h) {
    return "urgent".equals(h.entry.kind) && TEMPORAL_URGENT.contains(h.entry.value);
  }

  private static final long[] TEMPORAL_WORDS;

  static {
    String[] w = {"week", "weeks", "month", "months", "quarter", "year", "semana", "semanas", "mes", "meses", "trimestre", "ano", "woche",
      "wochen", "monat", "monaten", "quartal", "jahr", "semaine", "semaines", "mois", "annee", "dias", "days", "tagen", "jours", "q1", "q2", "q3", "q4",
      "t1", "t2", "t3", "t4", "tomorrow", "manana", "morgen", "demain", "amanha", "today", "hoy", "heute", "hoje", "asap"};
    TEMPORAL_WORDS = new long[w.length];
    for (int i = 0; i < w.length; i++) {
      TEMPORAL_WORDS[i] = Tokens.hashOf(w[i]);
    }
    java.util.Arrays.sort(TEMPORAL_WORDS);
  }

  private static boolean mayHaveDate(Tokens t) {
    for (int i = 0; i < t.size; i++) {
      if (java.util.Arrays.binarySearch(TEMPORAL_WORDS, t.hash[i]) >= 0) {
        return true;
      }
    }
    for (int i = 0; i < t.size; i++) {
      int len = t.length(i);
      if (len >= 3 && len <= 10) {
        String w = null;
        // month and weekday names (rare path: only words of plausible length)
        char c0 = t.chars[t.start[i]];
        if ("jfmasondlwtvqeg".indexOf(c0) >= 0) {
          w = t.text(i);
          if (Dates.MONTHS.containsKey(w) || Dates.WEEKDAYS.containsKey(w)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private void lexiconSlots(String text, Tokens t, List<Lexicon.Hit> hits, List<Slot> slots) {
    Lexicon.Hit bestTitle = null;
    boolean selfBefore = false;
    for (Lexicon.Hit h : hits) {
      if (h.corrected) {
        continue; // slots come from phrases as written; a misspelt cue word only counts as a cue
      }
      String kind = h.entry.kind;
      int s = t.start[h.from];
      int e = t.end[h.to - 1];
      if ("need".equals(kind) || "competitor".equals(kind)) {
        String name = "need".equals(kind) ? SlotNames.NEED : SlotNames.COMPETITOR;
        if (!Slots.overlaps(slots, s, e) || sameNameOverlapLonger(slots, name, s, e)) {
          removeOverlapping(slots, name, s, e);
          slots.add(new Slot(name, h.entry.value, text.substring(s, e), s, e, "need".equals(kind) ? 0.8 : 0.9));
        }
      } else if ("title".equals(kind)) {
        boolean self = false;
        for (Lexicon.Hit o : hits) {
          if ("selfref".equals(o.entry.kind) && o.to <= h.from && h.from - o.to <= 3) {
            self = true;
          }
        }
        if (bestTitle == null || (self && !selfBefore) || (self == selfBefore && h.to - h.from > bestTitle.to - bestTitle.from)) {
          bestTitle = h;
          selfBefore = self;
        }
      }
    }
    if (bestTitle != null && (selfBefore || t.size <= 5)) {
      int s = t.start[bestTitle.from];
      int e = t.end[bestTitle.to - 1];
      // extend "head of" / "director of" / "VP" with the following function word ("head of sales")
      if (bestTitle.to < t.size && bestTitle.to - bestTitle.from <= 2) {
        String last = t.text(bestTitle.to - 1);
        if (last.equals("of") || last.equals("de") || last.equals("vp") || last.equals("head")) {
          e = t.end[bestTitle.to];
        }
      }
      if (!Slots.overlaps(slots, s, e)) {
        slots.add(new Slot(SlotNames.AUTHORITY, bestTitle.entry.value, text.substring(s, e), s, e, selfBefore ? 0.85 : 0.6));
      }
    }
  }

  private static final ThreadLocal<List<EntityTagger.Span>> SPANS = ThreadLocal.withInitial(() -> new ArrayList<>(4));

  /**
   * Person and company names from the trained tagger, where the rules found none: the rules win
   * where they fire (a rule-found name or company keeps its slot and the tagger adds none of that
   * type), and a tagged span that overlaps another slot or a known phrase (a title, an intent cue,
   * a product, a competitor) is dropped.
   */
  private void taggedNames(String text, Tokens t, List<Lexicon.Hit> hits, List<Slot> slots) {
    boolean haveName = false;
    boolean haveCompany = false;
    for (Slot s : slots) {
      haveName |= SlotNames.NAME.equals(s.name());
      haveCompany |= SlotNames.COMPANY.equals(s.name());
    }
    if (haveName && haveCompany) {
      return;
    }
    List<EntityTagger.Span> spans = SPANS.get();
    spans.clear();
    tagger.tag(text, t, spans);
    for (EntityTagger.Span sp : spans) {
      boolean person = "PER".equals(sp.type());
      if (person ? haveName : haveCompany) {
        continue;
      }
      int s = t.start[sp.from()];
      int e = t.end[sp.to() - 1];
      if (Slots.overlaps(slots, s, e) || overlapsKnownPhrase(t, hits, s, e) || (sp.to() - sp.from() == 1 && isFunctionWord(hits, sp.from()))) {
        continue;
      }
      String surface = text.substring(s, e);
      slots.add(new Slot(person ? SlotNames.NAME : SlotNames.COMPANY, surface, surface, s, e, EntityTagger.confidence(sp.margin())));
      if (person) {
        haveName = true;
      } else {
        haveCompany = true;
      }
    }
  }

  /** A function word of one of the languages ("lang" entries of cues.tsv): "Will" alone is no name. */
  private static boolean isFunctionWord(List<Lexicon.Hit> hits, int token) {
    for (Lexicon.Hit h : hits) {
      if ("lang".equals(h.entry.kind) && !h.corrected && h.from <= token && token < h.to) {
        return true;
      }
    }
    return false;
  }

  /** A phrase of the lexicon as written (a misspelt cue word is more likely a name than a slip next to it: "Charle", "Bolero"). */
  private static boolean overlapsKnownPhrase(Tokens t, List<Lexicon.Hit> hits, int s, int e) {
    for (Lexicon.Hit h : hits) {
      String k = h.entry.kind;
      if (!h.corrected && ("title".equals(k) || "intent".equals(k) || "need".equals(k) || "competitor".equals(k) || "human".equals(k))
          && t.start[h.from] < e && s < t.end[h.to - 1]) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameNameOverlapLonger(List<Slot> slots, String name, int s, int e) {
    for (Slot x : slots) {
      if (s < x.end() && x.start() < e && (!x.name().equals(name) || e - s <= x.end() - x.start())) {
        return false;
      }
    }
    return true;
  }

  private static void removeOverlapping(List<Slot> slots, String name, int s, int e) {
    slots.removeIf(x -> x.name().equals(name) && s < x.end() && x.start() < e);
  }

  private static int langIndex(String l) {
    for (int i = 0; i < LANGS.length; i++) {
      if (LANGS[i].equals(l)) {
        return i;
      }
    }
    return -1;
  }

  static String hintLanguage(String hint) {
    if (hint == null || hint.length() < 2) {
      return null;
    }
    String l = hint.substring(0, 2).toLowerCase(java.util.Locale.ROOT);
    return langIndex(l) >= 0 ? l : null;
  }

  private static void diacritics(String text, double[] lang) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case 'ñ': case '¿': case '¡': lang[1] += 1.5; break;
        case 'ä': case 'ö': case 'ü': case 'ß': case 'Ä': case 'Ö': case 'Ü': lang[2] += 1.5; break;
        case 'è': case 'ê': case 'à': case 'ù': case 'œ': case 'î': case 'ë': case 'û': lang[3] += 1.0; break;
        case 'ã': case 'õ': lang[4] += 1.5; break;
        case 'ç': lang[3] += 0.5; lang[4] += 0.5; break;
        case 'á': case 'í': case 'ó': case 'ú': lang[1] += 0.4; lang[4] += 0.4; break;
        case 'é': lang[1] += 0.2; lang[3] += 0.4; lang[4] += 0.2; break;
        default: break;
      }
    }
  }

  /** Default phone region for numbers written without a country code. */
  static String region(String language) {
    switch (language) {
      case "es": return "ES";
      case "de": return "DE";
      case "fr": return "FR";
      case "pt": return "BR";
      default: return "US";
    }
  }
}
