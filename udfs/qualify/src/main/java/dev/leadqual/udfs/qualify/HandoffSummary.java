package dev.leadqual.udfs.qualify;

import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.SlotMemory;
import dev.leadqual.schema.state.TranscriptTurn;
import dev.leadqual.udfs.redact.Redactor;
import dev.leadqual.udfs.understand.SlotNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The summary a sales rep reads in ten seconds, and whether a session is a qualified lead. The
 * summary never contains the visitor's email, phone or name: contact details travel only in the
 * lead record for the CRM. Quotes are redacted.
 *
 * <pre>
 * Who: Decision maker · Acme GmbH · 200 employees
 * Need: crm_suite
 * Budget: 75000-150000 EUR/year
 * Timeline: this_quarter
 * Score: 74/100 · slots +35.0 (6/6 required slots filled); intent +22.5 (...); engagement +10.0 (...)
 * Quotes: "we need a CRM for our 200 sales reps" | "around 100k a year"
 * </pre>
 */
public final class HandoffSummary {
  public static final int MAX_QUOTES = 2;
  private static final List<String> QUOTE_SLOTS =
      List.of(SlotNames.NEED, SlotNames.BUDGET, SlotNames.TIMELINE, SlotNames.AUTHORITY, SlotNames.COMPANY_SIZE);

  private HandoffSummary() {}

  public static String summarise(SessionMemory m, Score s, List<TranscriptTurn> tail) {
    StringBuilder sb = new StringBuilder();
    List<String> who = new ArrayList<>();
    who.add(authority(m));
    SlotMemory company = slot(m, SlotNames.COMPANY);
    if (company != null) {
      who.add(company.getValue());
    }
    SlotMemory size = slot(m, SlotNames.COMPANY_SIZE);
    if (size != null) {
      who.add(size.getValue().matches("\\d+") ? size.getValue() + " employees" : size.getValue());
    } else if (SlotFilling.isDeclined(m, SlotNames.COMPANY_SIZE)) {
      who.add("size not given");
    }
    sb.append("Who: ").append(String.join(" · ", who)).append('\n');
    sb.append("Need: ").append(value(m, SlotNames.NEED)).append('\n');
    sb.append("Budget: ").append(value(m, SlotNames.BUDGET)).append('\n');
    sb.append("Timeline: ").append(value(m, SlotNames.TIMELINE)).append('\n');
    SlotMemory competitor = slot(m, SlotNames.COMPETITOR);
    if (competitor != null) {
      sb.append("Also evaluating: ").append(competitor.getValue()).append('\n');
    }
    if (s != null) {
      sb.append("Score: ").append(s.total()).append("/100");
      List<String> reasons = new ArrayList<>();
      s.topReasons(3).forEach(c -> reasons.add(c.getSignal() + " +" + c.getPoints()
          + (c.getDetail().isEmpty() ? "" : " (" + c.getDetail() + ")")));
      if (!reasons.isEmpty()) {
        sb.append(" · ").append(String.join("; ", reasons));
      }
      sb.append('\n');
    }
    if (m.getLanguage() != null && !"en".equals(m.getLanguage())) {
      sb.append("Language: ").append(m.getLanguage()).append('\n');
    }
    List<String> quotes = keyQuotes(m, tail);
    if (!quotes.isEmpty()) {
      sb.append("Quotes: ");
      for (int i = 0; i < quotes.size(); i++) {
        sb.append(i > 0 ? " | " : "").append('"').append(quotes.get(i)).append('"');
      }
      sb.append('\n');
    }
    return scrub(m, sb.toString().stripTrailing());
  }

  /**
   * Up to {@link #MAX_QUOTES} redacted visitor quotes of at most 80 chars: the quotes behind the
   * need, budget, timeline, authority and company-size slots first, then the longest visitor turns
   * of the tail.
   */
  public static List<String> keyQuotes(SessionMemory m, List<TranscriptTurn> tail) {
    Set<String> out = new LinkedHashSet<>();
    for (String name : QUOTE_SLOTS) {
      SlotMemory sm = slot(m, name);
      if (sm != null && sm.getQuote() != null && !sm.getQuote().isBlank() && out.size() < MAX_QUOTES) {
        out.add(clean(m, sm.getQuote()));
      }
    }
    if (out.size() < MAX_QUOTES && tail != null) {
      List<TranscriptTurn> visitor = new ArrayList<>();
      for (TranscriptTurn t : tail) {
        if (t.getRole() == SenderRole.VISITOR && t.getText() != null && !t.getText().isBlank()) {
          visitor.add(t);
        }
      }
      visitor.sort(Comparator.comparingInt((TranscriptTurn t) -> t.getText().length()).reversed());
      for (TranscriptTurn t : visitor) {
        if (out.size() >= MAX_QUOTES) {
          break;
        }
        out.add(clean(m, t.getText()));
      }
    }
    out.remove("");
    return List.copyOf(out);
  }

  /**
   * Qualified: score at least the qualify threshold and every required slot filled or declined,
   * with at least one of them filled.
   */
  public static boolean isQualified(SessionMemory m, Score s, Policy p) {
    int score = s == null ? m.getScore() : s.total();
    return score >= p.thresholds().qualify() && SlotFilling.requiredComplete(m, p) && SlotFilling.filledCount(m, p) > 0;
  }

  private static String clean(SessionMemory m, String text) {
    return SessionMemories.quote(scrub(m, Redactor.redact(text)), null);
  }

  /** Belt and braces: remove any literal email/phone/name slot value that survived redaction. */
  private static String scrub(SessionMemory m, String text) {
    String out = text;
    out = mask(out, slot(m, SlotNames.EMAIL), "[email]");
    out = mask(out, slot(m, SlotNames.PHONE), "[phone]");
    out = mask(out, slot(m, SlotNames.NAME), "[name]");
    return out;
  }

  private static String mask(String text, SlotMemory s, String with) {
    if (s == null || s.getValue() == null || s.getValue().length() < 3) {
      return text;
    }
    return text.replace(s.getValue(), with);
  }

  private static String authority(SessionMemory m) {
    SlotMemory a = slot(m, SlotNames.AUTHORITY);
    if (a == null) {
      return SlotFilling.isDeclined(m, SlotNames.AUTHORITY) ? "Role not given" : "Role unknown";
    }
    return switch (a.getValue()) {
      case "decision_maker" -> "Decision maker";
      case "influencer" -> "Influencer";
      case "user" -> "User";
      default -> a.getValue();
    };
  }

  private static String value(SessionMemory m, String name) {
    SlotMemory s = slot(m, name);
    if (s != null) {
      return s.getValue();
    }
    return SlotFilling.isDeclined(m, name) ? "declined to say" : "unknown";
  }

  private static SlotMemory slot(SessionMemory m, String name) {
    return m.getSlots() == null ? null : m.getSlots().get(name);
  }
}
