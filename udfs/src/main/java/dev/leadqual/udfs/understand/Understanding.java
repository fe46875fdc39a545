package dev.leadqual.udfs.understand;

import java.util.List;
import java.util.Optional;

/**
 * What one message says.
 *
 * @param category sales, presales, support or other
 * @param intent fine intent, e.g. pricing, demo_request, bug, greeting
 * @param confidence 0..1, calibrated probability of {@code category}
 * @param language ISO 639-1 code (en, es, de, fr, pt) or "und"
 * @param languageConfidence 0..1
 * @param sentiment -1..1
 * @param urgency low, medium or high
 * @param wantsHuman asks for a human/agent/person (not necessarily sales)
 * @param wantsSales asks to talk to sales
 * @param slots filled slots, in order of appearance
 */
public record Understanding(
    String category,
    String intent,
    double confidence,
    String language,
    double languageConfidence,
    double sentiment,
    String urgency,
    boolean wantsHuman,
    boolean wantsSales,
    List<Slot> slots) {

  public Understanding {
    slots = slots == null ? List.of() : List.copyOf(slots);
  }

  /** The first slot of that name, if any. */
  public Optional<Slot> slot(String name) {
    for (Slot s : slots) {
      if (s.name().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** True for sales and presales. */
  public boolean isLeadSignal() {
    return "sales".equals(category) || "presales".equals(category);
  }
}
