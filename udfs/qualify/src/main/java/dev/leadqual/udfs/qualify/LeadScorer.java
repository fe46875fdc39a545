package dev.leadqual.udfs.qualify;

import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.ScoreContribution;
import dev.leadqual.schema.state.SessionMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * The explainable lead score 0..100. Each signal earns up to its policy weight:
 *
 * <ul>
 *   <li>{@code intent}: weight × strongest sales-intent confidence seen;
 *   <li>{@code slots}: weight × required slots filled / required slots (declined earn nothing);
 *   <li>{@code firmographics} (only with a CRM account): weight × the fit shares of the account
 *       (employees within the ideal range, existing customer, open opportunity, VIP);
 *   <li>{@code engagement}: weight × min(1, visitor turns / engagement_full_at_turns);
 *   <li>{@code sentiment}: weight × sentiment trend (−1..1, so negative sentiment costs points);
 *   <li>{@code urgency}: weight × (low 0, medium ½, high 1).
 * </ul>
 *
 * Points are rounded to 0.1; {@code total = clamp(round(Σ points), 0, 100)}. Deterministic. More
 * filled slots never lower the score.
 */
public final class LeadScorer {
  private LeadScorer() {}

  public static Score score(SessionMemory m, CrmAccount accountOrNull, Policy p) {
    Policy.Weights w = p.weights();
    Policy.Scoring sc = p.scoring();
    List<ScoreContribution> out = new ArrayList<>(6);

    double intent = clamp01(m.getIntentStrength());
    List<String> intents = m.getIntentsSeen() == null ? List.of() : m.getIntentsSeen();
    out.add(c("intent", w.intent() * intent, "strongest sales intent " + fmt(intent)
        + (intents.isEmpty() ? "" : "; intents " + String.join(", ", intents.subList(0, Math.min(3, intents.size()))))));

    List<String> required = p.tenant(m.getTenantId()).requiredSlots();
    int filled = SlotFilling.filledCount(m, p);
    out.add(c("slots", required.isEmpty() ? 0 : w.slots() * filled / required.size(),
        filled + "/" + required.size() + " required slots filled"));

    if (accountOrNull != null) {
      Policy.Firmographics f = sc.firmographics();
      double fit = 0;
      List<String> why = new ArrayList<>();
      Integer employees = accountOrNull.getEmployees();
      if (employees != null && employees >= f.minEmployees() && employees <= f.maxEmployees()) {
        fit += f.employees();
        why.add(employees + " employees");
      }
      if (accountOrNull.getExistingCustomer()) {
        fit += f.existingCustomer();
        why.add("existing customer");
      }
      if (accountOrNull.getOpenOpportunity()) {
        fit += f.openOpportunity();
        why.add("open opportunity");
      }
      if (accountOrNull.getVip()) {
        fit += f.vip();
        why.add("VIP");
      }
      out.add(c("firmographics", w.firmographics() * Math.min(1, fit),
          accountOrNull.getName() + (why.isEmpty() ? ": no fit signals" : ": " + String.join(", ", why))));
    }

    int turns = m.getVisitorTurns();
    out.add(c("engagement", w.engagement() * Math.min(1.0, (double) turns / sc.engagementFullAtTurns()),
        turns + " visitor turns"));

    double sentiment = Math.max(-1, Math.min(1, m.getSentimentTrend()));
    out.add(c("sentiment", w.sentiment() * sentiment, "sentiment trend " + fmt(sentiment)));

    String urgency = m.getUrgency() == null ? "low" : m.getUrgency();
    out.add(c("urgency", w.urgency() * SessionMemories.urgencyRank(urgency) / 2.0, "urgency " + urgency));

    double raw = out.stream().mapToDouble(ScoreContribution::getPoints).sum();
    int total = (int) Math.max(0, Math.min(100, Math.round(raw)));
    return new Score(total, out);
  }

  private static ScoreContribution c(String signal, double points, String detail) {
    double r = Math.round(points * 10) / 10.0;
    return new ScoreContribution(signal, r == 0 ? 0.0 : r, detail);
  }

  private static String fmt(double d) {
    return Decimals.fixed(d, 2);
  }

  private static double clamp01(double d) {
    return Double.isNaN(d) ? 0 : Math.max(0, Math.min(1, d));
  }
}
