package dev.leadqual.udfs.qualify;

import dev.leadqual.schema.ScoreContribution;
import java.util.Comparator;
import java.util.List;

/**
 * A lead score and why. {@code total == clamp(round(sum of contributions' points), 0, 100)}: the
 * contributions (one per signal, points rounded to 0.1) sum to the total before rounding and
 * clamping.
 *
 * @param total 0..100
 * @param contributions one per signal, in a fixed order: intent, slots, firmographics (only with a
 *     CRM account), engagement, sentiment, urgency
 */
public record Score(int total, List<ScoreContribution> contributions) {
  public Score {
    contributions = contributions == null ? List.of() : List.copyOf(contributions);
  }

  /** The sum of the contributions' points, before rounding and clamping. */
  public double rawTotal() {
    return contributions.stream().mapToDouble(ScoreContribution::getPoints).sum();
  }

  /** The n contributions with the most positive points, strongest first (ties: signal order). */
  public List<ScoreContribution> topReasons(int n) {
    return contributions.stream()
        .filter(c -> c.getPoints() > 0)
        .sorted(Comparator.comparingDouble(ScoreContribution::getPoints).reversed())
        .limit(n)
        .toList();
  }

  /** Reasons as text, e.g. {@code "slots +35.0: 6/6 required slots filled"}. */
  public List<String> reasons(int n) {
    return topReasons(n).stream()
        .map(c -> c.getSignal() + " +" + c.getPoints() + (c.getDetail().isEmpty() ? "" : ": " + c.getDetail()))
        .toList();
  }
}
