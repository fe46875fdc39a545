package dev.leadqual.udfs.qualify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.leadqual.schema.ActionType;
import dev.leadqual.udfs.understand.SlotNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The qualification policy: an immutable, versioned value parsed from a JSON or YAML document
 * (schema: {@code policy/policy.schema.json}, default: {@code policy/default-policy.yaml}).
 *
 * <p>It holds, per tenant (with the {@code default} tenant as field-by-field fallback), the
 * qualification framework with its required slots in asking order, the question cap, the handoff
 * rate limit and SLA, the routing and the retention of its conversations; globally the question templates per slot and language, the
 * visitor-facing messages per action, the score weights and thresholds, and the ordered decision
 * rules (first match wins). Thread-safe; share one instance per version.
 */
public final class Policy {

  /** Languages templates may be written in; anything else falls back to {@code en}. */
  public static final List<String> LANGUAGES = List.of("en", "es", "de", "fr", "pt");

  /** Virtual slot: filled when {@code email} or {@code phone} is. */
  public static final String CONTACT = "contact";

  /** Every slot a policy may name: {@link SlotNames#ALL} plus {@link #CONTACT}. */
  public static final List<String> SLOTS;

  public static final List<String> CATEGORIES = List.of("sales", "presales", "support", "other");
  public static final List<String> URGENCIES = List.of("low", "medium", "high");
  public static final List<String> TIMELINE_BUCKETS = List.of("now", "this_quarter", "this_year", "later");
  public static final List<String> ROUTING_STRATEGIES = List.of("round_robin", "territory");
  /** Rule names the engine itself uses; policies cannot take them. */
  public static final List<String> RESERVED_RULES = List.of("kill_switch", "rate_limited", "default");

  static {
    List<String> s = new ArrayList<>(SlotNames.ALL);
    s.add(CONTACT);
    SLOTS = List.copyOf(s);
  }

  /** Where handoffs and escalations go. */
  public record Routing(
      String strategy,
      List<String> salesQueues,
      Map<String, String> territories,
      String humanQueue,
      boolean preferAccountOwner) {}

  /**
   * How long a tenant's conversation is kept and where its transcript goes (the tenant's {@code
   * retention} section; fields a tenant leaves out come from {@code default}). A null field is not
   * governed by the policy: the job's own setting applies ({@code --session.inactivity}, {@code
   * --transcript.tail}). State TTLs are not here: they are fixed in the job's state descriptors
   * before first use and stay job settings.
   *
   * @param sessionInactivity silence after the last message that closes the session (its memory and
   *     transcript tail are then archived and cleared); null = the job's setting
   * @param transcriptTailTurns redacted turns kept hot per session for summaries; older turns go to
   *     the archive (or are dropped); null = the job's setting
   * @param archiveTranscripts whether turns leaving the tail and the tail of a closed session are
   *     written to {@code chat.archive}; false drops them
   */
  public record Retention(Duration sessionInactivity, Integer transcriptTailTurns, boolean archiveTranscripts) {
    /** Nothing set: the job's settings, transcripts archived. */
    public static final Retention JOB_SETTINGS = new Retention(null, null, true);
  }

  /** One tenant's qualification settings (already merged over the {@code default} tenant). */
  public record Tenant(
      String id,
      String framework,
      List<String> requiredSlots,
      double minSlotConfidence,
      int maxQuestionsPerSession,
      int handoffsPerHour,
      Duration handoffSla,
      Routing routing,
      Retention retention) {}

  /** Maximum points per signal. Their sum is at most 100. */
  public record Weights(
      double intent, double slots, double firmographics, double engagement, double sentiment, double urgency) {
    public double sum() {
      return intent + slots + firmographics + engagement + sentiment + urgency;
    }
  }

  public record Thresholds(int qualify, int handoff, int nurture) {}

  /**
   * How a CRM account fits: shares (0..1, summing to at most 1) of the firmographics weight.
   * {@code employees} applies when the account's employee count is within [min, max].
   */
  public record Firmographics(
      int minEmployees, int maxEmployees, double employees, double existingCustomer, double openOpportunity, double vip) {}

  public record Scoring(
      Weights weights, Thresholds thresholds, int engagementFullAtTurns, Firmographics firmographics) {}

  /**
   * A rule's condition: every non-null field must hold (AND); null means "any". Sets match when the
   * value is one of them. {@code scoreAtLeast}/{@code scoreBelow} are already resolved from
   * threshold names.
   */
  public record Condition(
      Set<String> tenant,
      Set<String> category,
      Set<String> categoryNot,
      Set<String> intent,
      Double minConfidence,
      Boolean messageHasSlots,
      Boolean leadSignal,
      Boolean salesInterest,
      Boolean wantsHuman,
      Boolean wantsSales,
      List<String> slotsFilled,
      List<String> slotsMissing,
      Boolean requiredSlotsComplete,
      Boolean nextSlotAvailable,
      Integer scoreAtLeast,
      Integer scoreBelow,
      Double sentimentBelow,
      Double sentimentTrendBelow,
      Set<String> urgency,
      Set<String> timeline,
      Boolean agentActive,
      Boolean handedOff,
      Boolean hasAccount,
      Boolean existingCustomer,
      Boolean vip,
      Boolean openOpportunity) {}

  /**
   * A named rule. {@code routeTo} overrides the queue for handoffs and escalations; {@code
   * description} is the canonical text of the condition (used by {@link #diff}).
   */
  public record Rule(String name, Condition when, ActionType action, String routeTo, String description) {}

  /** The condition keys a rule's {@code when} may use. */
  public static final Set<String> CONDITION_KEYS = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(
        "tenant", "category", "category_not", "intent", "min_confidence", "message_has_slots", "lead_signal", "sales_interest",
        "wants_human", "wants_sales", "slots_filled", "slots_missing", "required_slots_complete",
        "next_slot_available", "score_at_least", "score_below", "sentiment_below", "sentiment_trend_below",
        "urgency", "timeline", "agent_active", "handed_off", "has_account", "existing_customer", "vip",
        "open_opportunity")));

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RULE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static volatile Policy defaults;

  private final String version;
  private final String description;
  private final Map<String, Tenant> tenants;
  private final Map<String, Map<String, String>> questions;
  private final Map<ActionType, Map<String, String>> messages;
  private final Scoring scoring;
  private final List<Rule> rules;

  private Policy(
      String version,
      String description,
      Map<String, Tenant> tenants,
      Map<String, Map<String, String>> questions,
      Map<ActionType, Map<String, String>> messages,
      Scoring scoring,
      List<Rule> rules) {
    this.version = version;
    this.description = description;
    this.tenants = tenants;
    this.questions = questions;
    this.messages = messages;
    this.scoring = scoring;
    this.rules = rules;
  }

  /** The policy shipped in {@code policy/default-policy.yaml}. */
  public static Policy defaults() {
    Policy p = defaults;
    if (p == null) {
      synchronized (Policy.class) {
        if (defaults == null) {
          try (InputStream in = Policy.class.getResourceAsStream("/policy/default-policy.yaml")) {
            if (in == null) {
              throw new IllegalStateException("policy/default-policy.yaml missing from the classpath");
            }
            defaults = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (PolicyException e) {
            throw new IllegalStateException("the default policy is invalid: " + e.getMessage(), e);
          }
        }
        p = defaults;
      }
    }
    return p;
  }

  /** The published JSON Schema of the document, as text. */
  public static String jsonSchema() {
    try (InputStream in = Policy.class.getResourceAsStream("/policy/policy.schema.json")) {
      return new String(Objects.requireNonNull(in, "policy.schema.json").readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses and validates a JSON or YAML policy document.
   *
   * @throws PolicyException with the path and reason of the first problem found
   */
  public static Policy parse(String document) throws PolicyException {
    if (document == null || document.isBlank()) {
      throw new PolicyException("", "empty policy document");
    }
    JsonNode root;
    try {
      String t = document.stripLeading();
      root = (t.startsWith("{") ? JSON : YAML).readTree(document);
    } catch (JsonProcessingException e) {
      throw new PolicyException("not valid JSON/YAML: " + e.getOriginalMessage(), e);
    }
    return new Parser().policy(root);
  }

  public String version() {
    return version;
  }

  public String description() {
    return description;
  }

  /** The tenant's settings, or the {@code default} tenant's when it has none of its own. */
  public Tenant tenant(String tenantId) {
    Tenant t = tenantId == null ? null : tenants.get(tenantId);
    return t != null ? t : tenants.get("default");
  }

  /** Tenants configured, {@code default} first. */
  public Set<String> tenantIds() {
    return tenants.keySet();
  }

  public Scoring scoring() {
    return scoring;
  }

  public Weights weights() {
    return scoring.weights();
  }

  public Thresholds thresholds() {
    return scoring.thresholds();
  }

  /** The rules in evaluation order. */
  public List<Rule> rules() {
    return rules;
  }

  /** The question for a slot in the language, falling back to English; empty if the slot has none. */
  public Optional<String> questionTemplate(String slot, String language) {
    return localised(questions.get(slot), language);
  }

  /** The visitor-facing message for an action in the language (fallback en), if the policy has one. */
  public Optional<String> message(ActionType action, String language) {
    return localised(messages.get(action), language);
  }

  private static Optional<String> localised(Map<String, String> byLanguage, String language) {
    if (byLanguage == null) {
      return Optional.empty();
    }
    String s = language == null ? null : byLanguage.get(language);
    if (s == null) {
      s = byLanguage.get("en");
    }
    return Optional.ofNullable(s);
  }

  /**
   * Human-readable changes from {@code other} (the active policy) to this one, e.g. {@code changed
   * scoring.thresholds.handoff: 65 -> 70}, {@code added rule vip_upsell}, {@code rule order: a, b ->
   * b, a}. Compares effective values (after defaults and tenant fallback), so a document that only
   * spells out a default produces no change. Empty when equivalent.
   */
  public List<String> diff(Policy other) {
    Map<String, String> before = other == null ? Map.of() : other.flatten();
    Map<String, String> after = flatten();
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : before.entrySet()) {
      String now = after.get(e.getKey());
      if (now == null) {
        out.add("removed " + e.getKey() + " (was " + e.getValue() + ")");
      } else if (!now.equals(e.getValue())) {
        out.add("changed " + e.getKey() + ": " + e.getValue() + " -> " + now);
      }
    }
    for (Map.Entry<String, String> e : after.entrySet()) {
      if (!before.containsKey(e.getKey())) {
        out.add("added " + e.getKey() + ": " + e.getValue());
      }
    }
    if (other != null) {
      Set<String> common = new LinkedHashSet<>();
      other.rules.forEach(r -> common.add(r.name()));
      common.retainAll(rules.stream().map(Rule::name).toList());
      List<String> was = other.rules.stream().map(Rule::name).filter(common::contains).toList();
      List<String> is = rules.stream().map(Rule::name).filter(common::contains).toList();
      if (!was.equals(is)) {
        out.add("changed rule order: " + String.join(", ", was) + " -> " + String.join(", ", is));
      }
    }
    return out;
  }

  private Map<String, String> flatten() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("version", version);
    for (Tenant t : tenants.values()) {
      String p = "tenants." + t.id() + ".";
      f.put(p + "framework", t.framework());
      f.put(p + "required_slots", String.join(", ", t.requiredSlots()));
      f.put(p + "min_slot_confidence", num(t.minSlotConfidence()));
      f.put(p + "max_questions_per_session", Integer.toString(t.maxQuestionsPerSession()));
      f.put(p + "handoffs_per_hour", Integer.toString(t.handoffsPerHour()));
      f.put(p + "handoff_sla_minutes", Long.toString(t.handoffSla().toMinutes()));
      Routing r = t.routing();
      f.put(p + "routing.strategy", r.strategy());
      f.put(p + "routing.sales_queues", String.join(", ", r.salesQueues()));
      f.put(p + "routing.territories", new TreeMap<>(r.territories()).toString());
      f.put(p + "routing.human_queue", r.humanQueue());
      f.put(p + "routing.prefer_account_owner", Boolean.toString(r.preferAccountOwner()));
      Retention rt = t.retention();
      f.put(p + "retention.session_inactivity_minutes",
          rt.sessionInactivity() == null ? "job setting" : Long.toString(rt.sessionInactivity().toMinutes()));
      f.put(p + "retention.transcript_tail_turns",
          rt.transcriptTailTurns() == null ? "job setting" : Integer.toString(rt.transcriptTailTurns()));
      f.put(p + "retention.archive_transcripts", Boolean.toString(rt.archiveTranscripts()));
    }
    questions.forEach((slot, m) -> m.forEach((lang, q) -> f.put("questions." + slot + "." + lang, q)));
    messages.forEach((a, m) -> m.forEach((lang, q) -> f.put("messages." + a + "." + lang, q)));
    Weights w = scoring.weights();
    f.put("scoring.weights.intent", num(w.intent()));
    f.put("scoring.weights.slots", num(w.slots()));
    f.put("scoring.weights.firmographics", num(w.firmographics()));
    f.put("scoring.weights.engagement", num(w.engagement()));
    f.put("scoring.weights.sentiment", num(w.sentiment()));
    f.put("scoring.weights.urgency", num(w.urgency()));
    f.put("scoring.thresholds.qualify", Integer.toString(scoring.thresholds().qualify()));
    f.put("scoring.thresholds.handoff", Integer.toString(scoring.thresholds().handoff()));
    f.put("scoring.thresholds.nurture", Integer.toString(scoring.thresholds().nurture()));
    f.put("scoring.engagement_full_at_turns", Integer.toString(scoring.engagementFullAtTurns()));
    Firmographics fm = scoring.firmographics();
    f.put("scoring.firmographics.min_employees", Integer.toString(fm.minEmployees()));
    f.put("scoring.firmographics.max_employees", Integer.toString(fm.maxEmployees()));
    f.put("scoring.firmographics.employees", num(fm.employees()));
    f.put("scoring.firmographics.existing_customer", num(fm.existingCustomer()));
    f.put("scoring.firmographics.open_opportunity", num(fm.openOpportunity()));
    f.put("scoring.firmographics.vip", num(fm.vip()));
    for (Rule r : rules) {
      f.put("rules." + r.name(), r.description() + " => " + r.action() + (r.routeTo() == null ? "" : " (route_to " + r.routeTo() + ")"));
    }
    return f;
  }

  private static String num(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e9 ? Long.toString((long) d) : Double.toString(d);
  }

  @Override
  public String toString() {
    return "Policy[" + version + "]";
  }

  // ---------------------------------------------------------------------------------------------

  /** Validating reader over the document tree; every error names its path. */
  private static final class Parser {

    Policy policy(JsonNode root) throws PolicyException {
      obj(root, "", Set.of("version", "description", "tenants", "questions", "messages", "scoring", "rules"));
      String version = str(root, "", "version", true);
      String description = Optional.ofNullable(str(root, "", "description", false)).orElse("");

      JsonNode tenantsNode = required(root, "", "tenants");
      obj(tenantsNode, "tenants", null);
      JsonNode defNode = tenantsNode.get("default");
      if (defNode == null) {
        throw new PolicyException("tenants", "missing the 'default' tenant (the fallback for every other tenant)");
      }
      Map<String, Tenant> tenants = new LinkedHashMap<>();
      Tenant def = tenant("default", defNode, null);
      tenants.put("default", def);
      for (Iterator<Map.Entry<String, JsonNode>> it = tenantsNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().equals("default")) {
          tenants.put(e.getKey(), tenant(e.getKey(), e.getValue(), def));
        }
      }

      Map<String, Map<String, String>> questions = new LinkedHashMap<>();
      JsonNode qNode = required(root, "", "questions");
      obj(qNode, "questions", null);
      for (Iterator<Map.Entry<String, JsonNode>> it = qNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String path = "questions." + e.getKey();
        if (!SLOTS.contains(e.getKey())) {
          throw new PolicyException(path, "unknown slot '" + e.getKey() + "' (known: " + String.join(", ", SLOTS) + ")");
        }
        Map<String, String> byLang = languages(e.getValue(), path);
        for (Map.Entry<String, String> q : byLang.entrySet()) {
          long marks = q.getValue().chars().filter(c -> c == '?').count();
          if (marks != 1) {
            throw new PolicyException(path + "." + q.getKey(), "a question template must ask exactly one question (one '?'), found " + marks);
          }
        }
        questions.put(e.getKey(), byLang);
      }
      for (Tenant t : tenants.values()) {
        for (String slot : t.requiredSlots()) {
          Map<String, String> q = questions.get(slot);
          if (q == null || !q.containsKey("en")) {
            throw new PolicyException("questions." + slot + ".en",
                "missing template for required slot '" + slot + "' of tenant '" + t.id() + "'");
          }
        }
      }

      Map<ActionType, Map<String, String>> messages = new LinkedHashMap<>();
      JsonNode mNode = root.get("messages");
      if (mNode != null) {
        obj(mNode, "messages", null);
        for (Iterator<Map.Entry<String, JsonNode>> it = mNode.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          ActionType a = action(e.getKey(), "messages." + e.getKey());
          messages.put(a, languages(e.getValue(), "messages." + e.getKey()));
        }
      }

      Scoring scoring = scoring(required(root, "", "scoring"));

      JsonNode rNode = required(root, "", "rules");
      if (!rNode.isArray() || rNode.isEmpty()) {
        throw new PolicyException("rules", "must be a non-empty list of rules");
      }
      List<Rule> rules = new ArrayList<>();
      Set<String> names = new LinkedHashSet<>();
      for (int i = 0; i < rNode.size(); i++) {
        Rule r = rule(rNode.get(i), "rules[" + i + "]", scoring.thresholds(), questions, tenants);
        if (!names.add(r.name())) {
          throw new PolicyException("rules[" + i + "].name", "duplicate rule name '" + r.name() + "'");
        }
        rules.add(r);
      }
      return new Policy(version, description, Collections.unmodifiableMap(tenants),
          Collections.unmodifiableMap(questions), Collections.unmodifiableMap(messages), scoring, List.copyOf(rules));
    }

    private Tenant tenant(String id, JsonNode n, Tenant def) throws PolicyException {
      String p = "tenants." + id;
      obj(n, p, Set.of("framework", "required_slots", "min_slot_confidence", "max_questions_per_session",
          "handoffs_per_hour", "handoff_sla_minutes", "routing", "retention"));
      boolean full = def == null;
      String framework = str(n, p, "framework", full);
      List<String> required = strList(n, p, "required_slots", full, SLOTS, "slot");
      if (required != null) {
        if (required.isEmpty()) {
          throw new PolicyException(p + ".required_slots", "must name at least one slot");
        }
        if (new LinkedHashSet<>(required).size() != required.size()) {
          throw new PolicyException(p + ".required_slots", "lists a slot twice: " + required);
        }
      }
      Double minConf = dbl(n, p, "min_slot_confidence", full, 0, 1);
      Integer maxQ = integer(n, p, "max_questions_per_session", full, 0, 50);
      Integer perHour = integer(n, p, "handoffs_per_hour", full, 0, 1_000_000);
      Integer sla = integer(n, p, "handoff_sla_minutes", full, 1, 7 * 24 * 60);
      Routing routing = n.has("routing") ? routing(n.get("routing"), p + ".routing") : null;
      if (full && routing == null) {
        throw new PolicyException(p, "missing required key 'routing'");
      }
      Duration handoffSla = sla != null ? Duration.ofMinutes(sla) : def.handoffSla();
      Retention retention = retention(n.get("retention"), p + ".retention",
          def == null ? Retention.JOB_SETTINGS : def.retention(), handoffSla);
      return new Tenant(id,
          framework != null ? framework : def.framework(),
          required != null ? List.copyOf(required) : def.requiredSlots(),
          minConf != null ? minConf : def.minSlotConfidence(),
          maxQ != null ? maxQ : def.maxQuestionsPerSession(),
          perHour != null ? perHour : def.handoffsPerHour(),
          handoffSla,
          routing != null ? routing : def.routing(),
          retention);
    }

    /** The tenant's retention over {@code def} (the default tenant's, or the job's settings). */
    private Retention retention(JsonNode n, String p, Retention def, Duration handoffSla) throws PolicyException {
      Retention r = def;
      if (n != null) {
        obj(n, p, Set.of("session_inactivity_minutes", "transcript_tail_turns", "archive_transcripts"));
        Integer inactivity = integer(n, p, "session_inactivity_minutes", false, 1, 7 * 24 * 60);
        Integer tail = integer(n, p, "transcript_tail_turns", false, 2, 200);
        Boolean archive = bool(n, p, "archive_transcripts", false);
        r = new Retention(inactivity != null ? Duration.ofMinutes(inactivity) : def.sessionInactivity(),
            tail != null ? tail : def.transcriptTailTurns(),
            archive != null ? archive : def.archiveTranscripts());
      }
      if (r.sessionInactivity() != null && r.sessionInactivity().compareTo(handoffSla) < 0) {
        throw new PolicyException(p + ".session_inactivity_minutes", r.sessionInactivity().toMinutes()
            + " is shorter than handoff_sla_minutes " + handoffSla.toMinutes()
            + ": the session would close (and its handoff SLA be forgotten) before the SLA runs out");
      }
      return r;
    }

    private Routing routing(JsonNode n, String p) throws PolicyException {
      obj(n, p, Set.of("strategy", "sales_queues", "territories", "human_queue", "prefer_account_owner"));
      String strategy = str(n, p, "strategy", true);
      if (!ROUTING_STRATEGIES.contains(strategy)) {
        throw new PolicyException(p + ".strategy", "unknown strategy '" + strategy + "' (known: " + String.join(", ", ROUTING_STRATEGIES) + ")");
      }
      List<String> queues = strList(n, p, "sales_queues", true, null, null);
      if (queues.isEmpty()) {
        throw new PolicyException(p + ".sales_queues", "must name at least one queue");
      }
      Map<String, String> territories = new TreeMap<>();
      JsonNode t = n.get("territories");
      if (t != null) {
        obj(t, p + ".territories", null);
        for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
            throw new PolicyException(p + ".territories." + e.getKey(), "must be a queue name");
          }
          territories.put(e.getKey(), e.getValue().asText());
        }
      }
      if (strategy.equals("territory") && territories.isEmpty()) {
        throw new PolicyException(p + ".territories", "strategy 'territory' needs at least one territory -> queue entry");
      }
      String human = str(n, p, "human_queue", true);
      Boolean owner = bool(n, p, "prefer_account_owner", false);
      return new Routing(strategy, List.copyOf(queues), Collections.unmodifiableMap(territories), human,
          owner == null || owner);
    }

    private Scoring scoring(JsonNode n) throws PolicyException {
      String p = "scoring";
      obj(n, p, Set.of("weights", "thresholds", "engagement_full_at_turns", "firmographics"));
      JsonNode w = required(n, p, "weights");
      String wp = p + ".weights";
      obj(w, wp, Set.of("intent", "slots", "firmographics", "engagement", "sentiment", "urgency"));
      Weights weights = new Weights(dbl(w, wp, "intent", true, 0, 100), dbl(w, wp, "slots", true, 0, 100),
          dbl(w, wp, "firmographics", true, 0, 100), dbl(w, wp, "engagement", true, 0, 100),
          dbl(w, wp, "sentiment", true, 0, 100), dbl(w, wp, "urgency", true, 0, 100));
      if (weights.sum() > 100.0001) {
        throw new PolicyException(wp, "weights sum to " + num(weights.sum()) + "; at most 100 so a score stays within 0..100");
      }
      if (weights.sum() <= 0) {
        throw new PolicyException(wp, "at least one weight must be positive");
      }
      JsonNode t = required(n, p, "thresholds");
      String tp = p + ".thresholds";
      obj(t, tp, Set.of("qualify", "handoff", "nurture"));
      Thresholds th = new Thresholds(integer(t, tp, "qualify", true, 0, 100), integer(t, tp, "handoff", true, 0, 100),
          integer(t, tp, "nurture", true, 0, 100));
      if (th.nurture() > th.qualify() || th.qualify() > th.handoff()) {
        throw new PolicyException(tp, "must satisfy nurture <= qualify <= handoff, got nurture " + th.nurture()
            + ", qualify " + th.qualify() + ", handoff " + th.handoff());
      }
      Integer full = integer(n, p, "engagement_full_at_turns", false, 1, 1000);
      Firmographics fm = new Firmographics(10, 10_000, 0.4, 0.2, 0.2, 0.2);
      JsonNode f = n.get("firmographics");
      if (f != null) {
        String fp = p + ".firmographics";
        obj(f, fp, Set.of("min_employees", "max_employees", "employees", "existing_customer", "open_opportunity", "vip"));
        fm = new Firmographics(
            orElse(integer(f, fp, "min_employees", false, 0, Integer.MAX_VALUE), fm.minEmployees()),
            orElse(integer(f, fp, "max_employees", false, 0, Integer.MAX_VALUE), fm.maxEmployees()),
            orElse(dbl(f, fp, "employees", false, 0, 1), fm.employees()),
            orElse(dbl(f, fp, "existing_customer", false, 0, 1), fm.existingCustomer()),
            orElse(dbl(f, fp, "open_opportunity", false, 0, 1), fm.openOpportunity()),
            orElse(dbl(f, fp, "vip", false, 0, 1), fm.vip()));
        if (fm.minEmployees() > fm.maxEmployees()) {
          throw new PolicyException(fp, "min_employees " + fm.minEmployees() + " > max_employees " + fm.maxEmployees());
        }
        double s = fm.employees() + fm.existingCustomer() + fm.openOpportunity() + fm.vip();
        if (s > 1.0001) {
          throw new PolicyException(fp, "shares sum to " + num(s) + "; at most 1");
        }
      }
      return new Scoring(weights, th, full == null ? 6 : full, fm);
    }

    private static final Set<String> CONDITION_KEYS = Policy.CONDITION_KEYS;
    private Rule rule(JsonNode n, String p, Thresholds th, Map<String, Map<String, String>> questions,
        Map<String, Tenant> tenants) throws PolicyException {
      obj(n, p, Set.of("name", "when", "action", "route_to"));
      String name = str(n, p, "name", true);
      if (!RULE_NAME.matcher(name).matches()) {
        throw new PolicyException(p + ".name", "'" + name + "' must be lower_snake_case (a-z, 0-9, _)");
      }
      if (RESERVED_RULES.contains(name)) {
        throw new PolicyException(p + ".name", "'" + name + "' is reserved for the engine");
      }
      p = "rules." + name;
      ActionType action = action(str(n, p, "action", true), p + ".action");
      String routeTo = str(n, p, "route_to", false);
      JsonNode w = n.get("when");
      String wp = p + ".when";
      if (w == null) {
        w = JSON.createObjectNode();
      }
      obj(w, wp, CONDITION_KEYS);
      Condition c = new Condition(
          set(w, wp, "tenant", null, null),
          set(w, wp, "category", CATEGORIES, "category"),
          set(w, wp, "category_not", CATEGORIES, "category"),
          set(w, wp, "intent", null, null),
          dbl(w, wp, "min_confidence", false, 0, 1),
          bool(w, wp, "message_has_slots", false),
          bool(w, wp, "lead_signal", false),
          bool(w, wp, "sales_interest", false),
          bool(w, wp, "wants_human", false),
          bool(w, wp, "wants_sales", false),
          strList(w, wp, "slots_filled", false, SLOTS, "slot"),
          strList(w, wp, "slots_missing", false, SLOTS, "slot"),
          bool(w, wp, "required_slots_complete", false),
          bool(w, wp, "next_slot_available", false),
          score(w, wp, "score_at_least", th),
          score(w, wp, "score_below", th),
          dbl(w, wp, "sentiment_below", false, -1, 1),
          dbl(w, wp, "sentiment_trend_below", false, -1, 1),
          set(w, wp, "urgency", URGENCIES, "urgency"),
          set(w, wp, "timeline", TIMELINE_BUCKETS, "timeline bucket"),
          bool(w, wp, "agent_active", false),
          bool(w, wp, "handed_off", false),
          bool(w, wp, "has_account", false),
          bool(w, wp, "existing_customer", false),
          bool(w, wp, "vip", false),
          bool(w, wp, "open_opportunity", false));
      if (action == ActionType.ASK_SLOT) {
        for (Tenant t : tenants.values()) {
          for (String s : t.requiredSlots()) {
            if (!questions.containsKey(s)) {
              throw new PolicyException(p, "asks slots but slot '" + s + "' has no question template");
            }
          }
        }
      }
      return new Rule(name, c, action, routeTo, canonical(w));
    }

    private static String canonical(JsonNode w) {
      TreeMap<String, String> m = new TreeMap<>();
      w.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
      StringBuilder sb = new StringBuilder("when {");
      m.forEach((k, v) -> sb.append(sb.length() > 6 ? ", " : "").append(k).append(": ").append(v));
      return sb.append('}').toString();
    }

    private Integer score(JsonNode n, String p, String key, Thresholds th) throws PolicyException {
      JsonNode v = n.get(key);
      if (v == null) {
        return null;
      }
      if (v.isTextual()) {
        switch (v.asText()) {
          case "qualify": return th.qualify();
          case "handoff": return th.handoff();
          case "nurture": return th.nurture();
          default:
            throw new PolicyException(p + "." + key, "'" + v.asText() + "' is neither a number 0..100 nor a threshold name (qualify, handoff, nurture)");
        }
      }
      return integer(n, p, key, false, 0, 101);
    }

    private static ActionType action(String s, String p) throws PolicyException {
      for (ActionType a : ActionType.values()) {
        if (a.name().equals(s)) {
          return a;
        }
      }
      throw new PolicyException(p, "unknown action '" + s + "' (known: " + Arrays.toString(ActionType.values()).replaceAll("[\\[\\]]", "") + ")");
    }

    private Map<String, String> languages(JsonNode n, String p) throws PolicyException {
      obj(n, p, null);
      Map<String, String> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!LANGUAGES.contains(e.getKey())) {
          throw new PolicyException(p + "." + e.getKey(), "unknown language '" + e.getKey() + "' (known: " + String.join(", ", LANGUAGES) + ")");
        }
        if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
          throw new PolicyException(p + "." + e.getKey(), "must be a non-empty text");
        }
        if (e.getValue().asText().length() > 300) {
          throw new PolicyException(p + "." + e.getKey(), "longer than 300 characters");
        }
        out.put(e.getKey(), e.getValue().asText().strip());
      }
      if (!out.containsKey("en")) {
        throw new PolicyException(p + ".en", "missing template: English is the fallback and is required");
      }
      return Collections.unmodifiableMap(out);
    }

    // ----- primitives -----

    private static void obj(JsonNode n, String p, Set<String> allowed) throws PolicyException {
      if (n == null || !n.isObject()) {
        throw new PolicyException(p, "must be a mapping, got " + (n == null ? "nothing" : type(n)));
      }
      if (allowed != null) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
          String k = it.next();
          if (!allowed.contains(k)) {
            throw new PolicyException(p.isEmpty() ? k : p + "." + k, "unknown key '" + k + "' (allowed: " + String.join(", ", new TreeMap<>(toMap(allowed)).keySet()) + ")");
          }
        }
      }
    }

    private static Map<String, String> toMap(Set<String> s) {
      Map<String, String> m = new LinkedHashMap<>();
      s.forEach(k -> m.put(k, k));
      return m;
    }

    private static String type(JsonNode n) {
      JsonNodeType t = n.getNodeType();
      return t == JsonNodeType.ARRAY ? "a list" : t == JsonNodeType.OBJECT ? "a mapping" : t.name().toLowerCase() + " " + n;
    }

    private static JsonNode required(JsonNode n, String p, String key) throws PolicyException {
      JsonNode v = n.get(key);
      if (v == null || v.isNull()) {
        throw new PolicyException(p, "missing required key '" + key + "'");
      }
      return v;
    }

    private static String path(String p, String key) {
      return p.isEmpty() ? key : p + "." + key;
    }

    private static String str(JsonNode n, String p, String key, boolean req) throws PolicyException {
      JsonNode v = n.get(key);
      if (v == null || v.isNull()) {
        if (req) {
          throw new PolicyException(p, "missing required key '" + key + "'");
        }
        return null;
      }
      if (!v.isValueNode() || v.isBoolean() || v.asText().isBlank()) {
        throw new PolicyException(path(p, key), "must be a non-empty text, got " + type(v));
      }
      return v.asText();
    }

    private static Boolean bool(JsonNode n, String p, String key, boolean req) throws PolicyException {
      JsonNode v = n.get(key);
      if (v == null || v.isNull()) {
        if (req) {
          throw new PolicyException(p, "missing required key '" + key + "'");
        }
        return null;
      }
      if (!v.isBoolean()) {
        throw new PolicyException(path(p, key), "must be true or false, got " + type(v));
      }
      return v.asBoolean();
    }

    private static Double dbl(JsonNode n, String p, String key, boolean req, double min, double max) throws PolicyException {
      JsonNode v = n.get(key);
      if (v == null || v.isNull()) {
        if (req) {
          throw new PolicyException(p, "missing required key '" + key + "'");
        }
        return null;
      }
      if (!v.isNumber()) {
        throw new PolicyException(path(p, key), "must be a number, got " + type(v));
      }
      double d = v.asDouble();
      if (d < min || d > max) {
        throw new PolicyException(path(p, key), num(d) + " is out of range " + num(min) + ".." + num(max));
      }
      return d;
    }

    private static Integer integer(JsonNode n, String p, String key, boolean req, int min, int max) throws PolicyException {
      JsonNode v = n.get(key);
      if (v == null || v.isNull()) {
        if (req) {
          throw new PolicyException(p, "missing required key '" + key + "'");
        }
        return null;
      }
      if (!v.isIntegralNumber()) {
        throw new PolicyException(path(p, key), "must be a whole number, got " + type(v));
      }
      long l = v.asLong();
      if (l < min || l > max) {
        throw new PolicyException(path(p, key), l + " is out of range " + min + ".." + max);
      }
      return (int) l;
    }

    private static List<String> strList(JsonNode n, String p, String key, boolean req, List<String> known, String what)
        throws PolicyException {
      JsonNode v = n.get(key);
      if (v == null || v.isNull()) {
        if (req) {
          throw new PolicyException(p, "missing required key '" + key + "'");
        }
        return null;
      }
      List<String> out = new ArrayList<>();
      if (v.isTextual()) {
        out.add(v.asText());
      } else if (v.isArray()) {
        for (JsonNode x : v) {
          if (!x.isTextual() || x.asText().isBlank()) {
            throw new PolicyException(path(p, key), "must list texts, got " + type(x));
          }
          out.add(x.asText());
        }
      } else {
        throw new PolicyException(path(p, key), "must be a list, got " + type(v));
      }
      if (known != null) {
        for (String s : out) {
          if (!known.contains(s)) {
            throw new PolicyException(path(p, key), "unknown " + what + " '" + s + "' (known: " + String.join(", ", known) + ")");
          }
        }
      }
      return out;
    }

    private static Set<String> set(JsonNode n, String p, String key, List<String> known, String what) throws PolicyException {
      List<String> l = strList(n, p, key, false, known, what);
      return l == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(l));
    }

    private static <T> T orElse(T v, T d) {
      return v != null ? v : d;
    }
  }
}
