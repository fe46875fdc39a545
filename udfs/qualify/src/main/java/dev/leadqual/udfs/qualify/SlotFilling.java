package dev.leadqual.udfs.qualify;

import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.SlotMemory;
import dev.leadqual.udfs.understand.SlotNames;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The slot-filling state machine over the tenant's qualification framework: which slot to ask next
 * and how to ask it. Stateless; the state is the {@link SessionMemory}.
 */
public final class SlotFilling {
  private SlotFilling() {}

  /**
   * The next required slot to ask, in the tenant's order: never a filled or declined slot, never a
   * slot asked before (an ignored question is not repeated), nothing once the tenant's question cap
   * is reached.
   */
  public static Optional<String> nextSlotToAsk(SessionMemory m, Policy p) {
    Policy.Tenant t = p.tenant(m.getTenantId());
    if (m.getQuestionsAsked() >= t.maxQuestionsPerSession()) {
      return Optional.empty();
    }
    for (String slot : t.requiredSlots()) {
      if (!isFilled(m, slot, p) && !isDeclined(m, slot) && !slot.equals(m.getAskedSlot())
          && (m.getAskedSlots() == null || !m.getAskedSlots().contains(slot))) {
        return Optional.of(slot);
      }
    }
    return Optional.empty();
  }

  /** The question for the slot in the visitor's language (fallback English). */
  public static String question(String slot, String language, Policy p) {
    return p.questionTemplate(slot, language)
        .orElseThrow(() -> new IllegalArgumentException("policy " + p.version() + " has no question for slot '" + slot + "'"));
  }

  /**
   * Whether the slot holds a value with at least the tenant's minimum confidence. {@code contact}
   * is filled when {@code email} or {@code phone} is.
   */
  public static boolean isFilled(SessionMemory m, String slot, Policy p) {
    if (Policy.CONTACT.equals(slot)) {
      return isFilled(m, SlotNames.EMAIL, p) || isFilled(m, SlotNames.PHONE, p);
    }
    SlotMemory s = m.getSlots() == null ? null : m.getSlots().get(slot);
    double min = p == null ? 0.0 : p.tenant(m.getTenantId()).minSlotConfidence();
    return s != null && s.getValue() != null && !s.getValue().isBlank() && s.getConfidence() >= min;
  }

  public static boolean isDeclined(SessionMemory m, String slot) {
    return m.getDeclinedSlots() != null && m.getDeclinedSlots().contains(slot);
  }

  /** Required slots neither filled nor declined, in asking order. */
  public static List<String> missingSlots(SessionMemory m, Policy p) {
    List<String> out = new ArrayList<>();
    for (String slot : p.tenant(m.getTenantId()).requiredSlots()) {
      if (!isFilled(m, slot, p) && !isDeclined(m, slot)) {
        out.add(slot);
      }
    }
    return out;
  }

  /** Every required slot is filled or declined. */
  public static boolean requiredComplete(SessionMemory m, Policy p) {
    return missingSlots(m, p).isEmpty();
  }

  /** Required slots filled. */
  public static int filledCount(SessionMemory m, Policy p) {
    int n = 0;
    for (String slot : p.tenant(m.getTenantId()).requiredSlots()) {
      if (isFilled(m, slot, p)) {
        n++;
      }
    }
    return n;
  }

  /**
   * The timeline slot as a bucket (now, this_quarter, this_year, later), or null. A value may be a
   * bucket, a date {@code yyyy-MM-dd} (bucketed relative to {@code nowMillis}: up to 31 days now,
   * 92 this_quarter, 365 this_year, else later) or {@code date|bucket}.
   */
  public static String timelineBucket(SessionMemory m, long nowMillis) {
    SlotMemory s = m.getSlots() == null ? null : m.getSlots().get(SlotNames.TIMELINE);
    return s == null ? null : timelineBucket(s.getValue(), nowMillis);
  }

  static String timelineBucket(String value, long nowMillis) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    int bar = v.indexOf('|');
    if (bar >= 0) {
      String b = v.substring(bar + 1);
      if (Policy.TIMELINE_BUCKETS.contains(b)) {
        return b;
      }
      v = v.substring(0, bar);
    }
    if (Policy.TIMELINE_BUCKETS.contains(v)) {
      return v;
    }
    try {
      LocalDate d = LocalDate.parse(v);
      LocalDate now = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC);
      long days = ChronoUnit.DAYS.between(now, d);
      return days <= 31 ? "now" : days <= 92 ? "this_quarter" : days <= 365 ? "this_year" : "later";
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
