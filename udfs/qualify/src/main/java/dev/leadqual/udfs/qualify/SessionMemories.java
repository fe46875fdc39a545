package dev.leadqual.udfs.qualify;

import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.Contact;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.SlotMemory;
import dev.leadqual.udfs.redact.Redactor;
import dev.leadqual.udfs.understand.Declines;
import dev.leadqual.udfs.understand.Slot;
import dev.leadqual.udfs.understand.SlotNames;
import dev.leadqual.udfs.understand.Understanding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Creating and updating a session's {@link SessionMemory} one event at a time. The memory is mutated
 * in place (the operator reads it from state, calls these, writes it back). Deterministic; no
 * clocks: every time comes from the events.
 *
 * <p>Bounds that keep the memory compact: {@link #MAX_INTENTS} distinct intents (oldest dropped),
 * {@link #MAX_ACTIONS} actions (oldest dropped), {@link #MAX_SUPERSEDED} superseded values per slot
 * (oldest dropped), quotes of at most {@link #MAX_QUOTE} redacted characters.
 *
 * <p>PII: slot values of {@code email} and {@code phone} are kept as given (the lead for the CRM
 * needs them); every quote is redacted.
 */
public final class SessionMemories {
  public static final int MEMORY_VERSION = 1;
  public static final int MAX_INTENTS = 16;
  public static final int MAX_ACTIONS = 32;
  public static final int MAX_SUPERSEDED = 3;
  public static final int MAX_QUOTE = 80;
  /** Weight of the newest visitor message in the sentiment trend (exponential moving average). */
  public static final double SENTIMENT_ALPHA = 0.4;
  /** Minimum language confidence for a message to switch the visitor's language. */
  public static final double LANGUAGE_MIN_CONFIDENCE = 0.5;
  private SessionMemories() {}

  /**
   * An empty memory for the session the event opens (tenant, open time, trace id, language from the
   * event's locale). It does not apply the event: call {@link #remember} next.
   */
  public static SessionMemory fresh(ChatEvent first) {
    SessionMemory m = new SessionMemory();
    m.setMemoryVersion(MEMORY_VERSION);
    m.setTenantId(first.getTenantId() == null ? "default" : first.getTenantId());
    m.setOpenedAt(first.getSentAt() == null ? 0L : first.getSentAt().toEpochMilli());
    m.setLastEventAt(0L);
    m.setTraceId(first.getTraceId());
    m.setVisitorTurns(0);
    m.setAgentTurns(0);
    m.setBotTurns(0);
    m.setSystemEvents(0);
    m.setLanguage(languageOf(first.getLocale(), "en"));
    m.setCategoryCounts(new HashMap<>());
    m.setIntentsSeen(new ArrayList<>());
    m.setLastIntent("");
    m.setIntentStrength(0.0);
    m.setSentimentTrend(0.0);
    m.setSentimentLast(0.0);
    m.setUrgency("low");
    m.setWantsHuman(false);
    m.setSlots(new HashMap<>());
    m.setDeclinedSlots(new ArrayList<>());
    m.setAskedSlots(new ArrayList<>());
    m.setAskedSlot(null);
    m.setQuestionsAsked(0);
    m.setAgentActive(false);
    m.setScore(0);
    m.setLastAction(ActionType.NONE);
    m.setActions(new ArrayList<>());
    m.setQualifiedAt(null);
    m.setLeadVersion(0);
    m.setHandoffAt(null);
    m.setHandoffAccepted(false);
    m.setHandoffEscalations(0);
    m.setEscalations(0);
    m.setSummary("");
    m.setTailSize(0);
    m.setInactivityTimer(0L);
    m.setSlaTimer(0L);
    m.setPolicyVersion("");
    return m;
  }

  /**
   * Applies one event (deduplication is the operator's job).
   *
   * <ul>
   *   <li>turn counts by role (MESSAGE events), lifecycle events count as system events;
   *       AGENT_JOINED or an agent's message makes the agent active; HANDOFF_ACCEPTED marks the
   *       handoff accepted;
   *   <li>visitor messages with an understanding: category counts, distinct intents, strongest
   *       sales intent, sentiment trend (EMA), highest urgency, wants_human, language, slots with
   *       provenance, declines of the open question;
   *   <li>a late event (older than {@code last_event_at}) still counts its turn and fills empty
   *       slots, but neither overwrites a newer slot value nor changes the language, last intent or
   *       last sentiment.
   * </ul>
   *
   * @param u the message's understanding; null for lifecycle events or when there is none
   */
  public static void remember(SessionMemory m, ChatEvent e, Understanding u, Policy p) {
    ensureMutable(m);
    long t = e.getSentAt() == null ? m.getLastEventAt() : e.getSentAt().toEpochMilli();
    boolean late = t < m.getLastEventAt();
    if (!late) {
      m.setLastEventAt(t);
    }
    if (m.getOpenedAt() == 0L || t < m.getOpenedAt()) {
      m.setOpenedAt(t);
    }
    if (p != null) {
      m.setPolicyVersion(p.version());
    }
    if (m.getTraceId() == null && e.getTraceId() != null) {
      m.setTraceId(e.getTraceId());
    }
    fillFromPlatformContact(m, e, t);

    ChatEventType type = e.getEventType() == null ? ChatEventType.OTHER : e.getEventType();
    SenderRole role = e.getSenderRole() == null ? SenderRole.SYSTEM : e.getSenderRole();
    if (type != ChatEventType.MESSAGE) {
      m.setSystemEvents(m.getSystemEvents() + 1);
      if (type == ChatEventType.AGENT_JOINED) {
        m.setAgentActive(true);
      } else if (type == ChatEventType.HANDOFF_ACCEPTED) {
        m.setHandoffAccepted(true);
      }
      return;
    }
    switch (role) {
      case AGENT -> {
        m.setAgentTurns(m.getAgentTurns() + 1);
        m.setAgentActive(true);
        return;
      }
      case BOT -> {
        m.setBotTurns(m.getBotTurns() + 1);
        return;
      }
      case SYSTEM -> {
        m.setSystemEvents(m.getSystemEvents() + 1);
        return;
      }
      default -> m.setVisitorTurns(m.getVisitorTurns() + 1);
    }
    if (u == null) {
      return;
    }
    String category = u.category() == null || u.category().isBlank() ? "other" : u.category();
    m.getCategoryCounts().merge(category, 1, Integer::sum);
    if (u.intent() != null && !u.intent().isBlank()) {
      List<String> intents = m.getIntentsSeen();
      if (!intents.contains(u.intent())) {
        intents.add(u.intent());
        while (intents.size() > MAX_INTENTS) {
          intents.remove(0);
        }
      }
      if (!late) {
        m.setLastIntent(u.intent());
      }
    }
    if (u.isLeadSignal() || u.wantsSales()) {
      double strength = clamp01(u.confidence());
      if (strength > m.getIntentStrength()) {
        m.setIntentStrength(strength);
      }
    }
    double s = Math.max(-1, Math.min(1, u.sentiment()));
    m.setSentimentTrend(m.getVisitorTurns() <= 1 ? s
        : round3(SENTIMENT_ALPHA * s + (1 - SENTIMENT_ALPHA) * m.getSentimentTrend()));
    if (!late) {
      m.setSentimentLast(s);
    }
    if (urgencyRank(u.urgency()) > urgencyRank(m.getUrgency())) {
      m.setUrgency(u.urgency());
    }
    if (u.wantsHuman()) {
      m.setWantsHuman(true);
    }
    if (!late && u.language() != null && Policy.LANGUAGES.contains(u.language())
        && u.languageConfidence() >= LANGUAGE_MIN_CONFIDENCE) {
      m.setLanguage(u.language());
    }

    String redacted = null; // redacted and with single spaces: only messages with slots need it, once
    for (Slot slot : u.slots()) {
      if (slot.name() == null || slot.value() == null || slot.value().isBlank()) {
        continue;
      }
      if (redacted == null) {
        redacted = singleSpaced(e.getText() == null ? "" : Redactor.redact(e.getText()));
      }
      rememberSlot(m, slot.name(), slot.value(), slot.confidence(), e.getEventId(), t,
          quoteSingleSpaced(redacted, slot.text() == null ? null : Redactor.redact(slot.text())), late);
    }
    String asked = m.getAskedSlot();
    if (asked != null && !late) {
      if (SlotFilling.isFilled(m, asked, p)) {
        m.setAskedSlot(null);
      } else if (!mentions(u, asked) && isDecline(e.getText())) {
        if (!m.getDeclinedSlots().contains(asked)) {
          m.getDeclinedSlots().add(asked);
        }
        m.setAskedSlot(null);
      }
    }
  }

  /**
   * Records a decision and reports whether it is a change to emit: the action differs from {@code
   * last_action}, or it asks a different slot than the open question. On a change: last action,
   * bounded action history, the open question and question count (ASK_SLOT), handoff time
   * (HANDOFF_TO_SALES, first), escalation count (ESCALATE_TO_HUMAN). The score is always stored.
   *
   * @return true when the operator should emit the action
   */
  public static boolean record(SessionMemory m, Decision d, Score s, long decidedAt) {
    ensureMutable(m);
    if (s != null) {
      m.setScore(s.total());
    }
    boolean change = d.action() != m.getLastAction()
        || (d.action() == ActionType.ASK_SLOT && d.slot() != null && !d.slot().equals(m.getAskedSlot()));
    if (!change) {
      return false;
    }
    m.setLastAction(d.action());
    List<ActionType> actions = m.getActions();
    actions.add(d.action());
    while (actions.size() > MAX_ACTIONS) {
      actions.remove(0);
    }
    switch (d.action()) {
      case ASK_SLOT -> {
        m.setAskedSlot(d.slot());
        if (!m.getAskedSlots().contains(d.slot())) {
          m.getAskedSlots().add(d.slot());
        }
        m.setQuestionsAsked(m.getQuestionsAsked() + 1);
      }
      case HANDOFF_TO_SALES -> {
        if (m.getHandoffAt() == null) {
          m.setHandoffAt(decidedAt);
        }
        m.setAskedSlot(null);
      }
      case ESCALATE_TO_HUMAN -> {
        m.setEscalations(m.getEscalations() + 1);
        m.setAskedSlot(null);
      }
      default -> m.setAskedSlot(null);
    }
    return true;
  }

  /** True when the text reads as "not sure", "I don't know" or "prefer not to say" (en, es, de, fr, pt). */
  public static boolean isDecline(String text) {
    return Declines.isDecline(text);
  }

  /** The dominant category (most visitor messages; ties: sales, presales, support, other), or "other". */
  public static String dominantCategory(SessionMemory m) {
    String best = "other";
    int bestCount = 0;
    for (String c : Policy.CATEGORIES) {
      int n = m.getCategoryCounts().getOrDefault(c, 0);
      if (n > bestCount) {
        best = c;
        bestCount = n;
      }
    }
    return best;
  }

  /** Whether the visitor showed sales interest: any sales or presales message. */
  public static boolean salesInterest(SessionMemory m) {
    return m.getCategoryCounts().getOrDefault("sales", 0) + m.getCategoryCounts().getOrDefault("presales", 0) > 0;
  }

  // ---------------------------------------------------------------------------------------------

  private static void rememberSlot(SessionMemory m, String name, String value, double confidence, String eventId,
      long t, String quote, boolean late) {
    Map<String, SlotMemory> slots = m.getSlots();
    SlotMemory old = slots.get(name);
    double conf = clamp01(confidence);
    if (old == null) {
      slots.put(name, new SlotMemory(value, conf, eventId == null ? "" : eventId, t, quote, new ArrayList<>()));
    } else if (old.getValue().equals(value)) {
      if (conf > old.getConfidence()) {
        old.setConfidence(conf); // corroborated: keep the first provenance
      }
    } else if (late && old.getAt() > t) {
      return; // an older statement never overwrites a newer one
    } else if (conf >= old.getConfidence()) {
      List<String> superseded = new ArrayList<>(old.getSuperseded() == null ? List.of() : old.getSuperseded());
      superseded.remove(old.getValue());
      superseded.add(old.getValue());
      while (superseded.size() > MAX_SUPERSEDED) {
        superseded.remove(0);
      }
      slots.put(name, new SlotMemory(value, conf, eventId == null ? "" : eventId, t, quote, superseded));
    } else {
      return; // a less confident different value does not replace the known one
    }
    m.getDeclinedSlots().remove(name);
    if (SlotNames.EMAIL.equals(name) || SlotNames.PHONE.equals(name)) {
      m.getDeclinedSlots().remove(Policy.CONTACT);
    }
  }

  private static void fillFromPlatformContact(SessionMemory m, ChatEvent e, long t) {
    Contact c = e.getContact();
    if (c == null) {
      return;
    }
    String id = e.getEventId() == null ? "" : e.getEventId();
    if (c.getEmail() != null && !c.getEmail().isBlank() && !m.getSlots().containsKey(SlotNames.EMAIL)) {
      m.getSlots().put(SlotNames.EMAIL, new SlotMemory(c.getEmail(), 1.0, id, t, "[email] (from the chat platform)", new ArrayList<>()));
      m.getDeclinedSlots().remove(Policy.CONTACT);
    }
    if (c.getPhone() != null && !c.getPhone().isBlank() && !m.getSlots().containsKey(SlotNames.PHONE)) {
      m.getSlots().put(SlotNames.PHONE, new SlotMemory(c.getPhone(), 1.0, id, t, "[phone] (from the chat platform)", new ArrayList<>()));
      m.getDeclinedSlots().remove(Policy.CONTACT);
    }
    if (c.getName() != null && !c.getName().isBlank() && !m.getSlots().containsKey(SlotNames.NAME)) {
      m.getSlots().put(SlotNames.NAME, new SlotMemory(c.getName(), 1.0, id, t, "", new ArrayList<>()));
    }
  }

  private static boolean mentions(Understanding u, String slot) {
    if (Policy.CONTACT.equals(slot)) {
      return u.slot(SlotNames.EMAIL).isPresent() || u.slot(SlotNames.PHONE).isPresent();
    }
    return u.slot(slot).isPresent();
  }

  /**
   * At most {@link #MAX_QUOTE} chars of the redacted message, around the (redacted) slot text when
   * the message is longer, cut at word boundaries and marked with an ellipsis.
   */
  static String quote(String redactedText, String redactedSlotText) {
    return quoteSingleSpaced(singleSpaced(redactedText), redactedSlotText);
  }

  /** Stripped, every run of whitespace as one space ("" for null): {@code WHITESPACE.matcher(text.strip()).replaceAll(" ")}. */
  static String singleSpaced(String text) {
    if (text == null) {
      return "";
    }
    String s = text.strip();
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isRegexSpace(c)) {
        int j = i + 1;
        while (j < s.length() && isRegexSpace(s.charAt(j))) {
          j++;
        }
        if (out == null && (c != ' ' || j > i + 1)) {
          out = new StringBuilder(s.length()).append(s, 0, i);
        }
        if (out != null) {
          out.append(' ');
        }
        i = j - 1;
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  /** What {@code \\s} matches: space, tab, newline, vertical tab, form feed, carriage return. */
  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  /** {@link #quote} of a text already {@link #singleSpaced}. */
  private static String quoteSingleSpaced(String s, String redactedSlotText) {
    if (s.length() <= MAX_QUOTE) {
      return s;
    }
    int at = redactedSlotText == null || redactedSlotText.isBlank() ? -1 : s.indexOf(redactedSlotText.strip());
    int start = at < 0 ? 0 : Math.max(0, at - 30);
    if (start > 0) {
      int sp = s.indexOf(' ', start);
      if (sp >= 0 && sp < (at < 0 ? start + 10 : at)) {
        start = sp + 1;
      }
    }
    boolean head = start > 0;
    int room = MAX_QUOTE - (head ? 1 : 0) - 1;
    int end = Math.min(s.length(), start + room);
    if (end < s.length()) {
      int sp = s.lastIndexOf(' ', end);
      if (sp > start + room / 2) {
        end = sp;
      }
    }
    String q = (head ? "…" : "") + s.substring(start, end).strip() + (end < s.length() ? "…" : "");
    return q.length() <= MAX_QUOTE ? q : q.substring(0, MAX_QUOTE);
  }

  private static String languageOf(String locale, String fallback) {
    if (locale == null || locale.length() < 2) {
      return fallback;
    }
    String l = locale.substring(0, 2).toLowerCase(Locale.ROOT);
    return Policy.LANGUAGES.contains(l) ? l : fallback;
  }

  static int urgencyRank(String u) {
    if (u == null) {
      return 0;
    }
    return switch (u) {
      case "high" -> 2;
      case "medium" -> 1;
      default -> 0;
    };
  }

  private static double clamp01(double d) {
    return Double.isNaN(d) ? 0 : Math.max(0, Math.min(1, d));
  }

  private static double round3(double d) {
    return Math.round(d * 1000) / 1000.0;
  }

  /** The list itself when it is already mutable (ours, or Avro's own array), else a mutable copy. */
  private static <T> List<T> mutable(List<T> list) {
    if (list instanceof ArrayList || list instanceof org.apache.avro.generic.GenericData.Array) {
      return list;
    }
    return list == null ? new ArrayList<>() : new ArrayList<>(list);
  }

  private static <K, V> Map<K, V> mutable(Map<K, V> map) {
    if (map instanceof HashMap) {
      return map;
    }
    return map == null ? new HashMap<>() : new HashMap<>(map);
  }

  /** State deserialisers may hand back immutable or null collections; make them safe to mutate (once). */
  private static void ensureMutable(SessionMemory m) {
    m.setCategoryCounts(mutable(m.getCategoryCounts()));
    m.setIntentsSeen(mutable(m.getIntentsSeen()));
    m.setSlots(mutable(m.getSlots()));
    m.setDeclinedSlots(mutable(m.getDeclinedSlots()));
    m.setAskedSlots(mutable(m.getAskedSlots()));
    m.setActions(mutable(m.getActions()));
    if (m.getLastAction() == null) {
      m.setLastAction(ActionType.NONE);
    }
    if (m.getUrgency() == null) {
      m.setUrgency("low");
    }
  }
}
