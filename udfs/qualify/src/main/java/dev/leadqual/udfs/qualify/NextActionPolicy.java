package dev.leadqual.udfs.qualify;

import dev.leadqual.schema.ActionType;
import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.udfs.understand.Understanding;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the next action: engine guards plus the policy's rules, evaluated in order, first match
 * wins. Deterministic; every decision names the rule that made it.
 *
 * <ol>
 *   <li>{@code kill_switch}: with the kill switch on, always ESCALATE_TO_HUMAN to the tenant's human
 *       queue (no automated questions, no handoffs);
 *   <li>the policy's rules; an ASK_SLOT rule only matches when there is a slot to ask;
 *   <li>{@code rate_limited}: a HANDOFF_TO_SALES for a session not yet handed off, when the tenant
 *       already made {@code handoffs_per_hour} handoffs this hour, becomes NURTURE;
 *   <li>{@code default}: NONE.
 * </ol>
 *
 * <p>When a human agent is active every action is a suggestion for the agent ({@code toAgent}).
 * Handoffs route to the rule's {@code route_to}, else the CRM account owner (if preferred), else the
 * territory's queue (territory routing), else one of the sales queues picked deterministically per
 * session (round robin by session). Escalations route to the rule's {@code route_to} or the human
 * queue.
 */
public final class NextActionPolicy {
  public static final String KILL_SWITCH = "kill_switch";
  public static final String RATE_LIMITED = "rate_limited";
  public static final String DEFAULT = "default";

  private NextActionPolicy() {}

  /**
   * @param u the current message's understanding (null for lifecycle events: only memory-based
   *     conditions can match)
   * @param c the operator's switches (null: none)
   */
  public static Decision decide(SessionMemory m, Understanding u, Score s, CrmAccount accountOrNull, Controls c,
      Policy p) {
    Controls controls = c == null ? Controls.NONE : c;
    Policy.Tenant tenant = p.tenant(m.getTenantId());
    String lang = m.getLanguage() == null ? "en" : m.getLanguage();
    boolean toAgent = m.getAgentActive();
    if (controls.killSwitch()) {
      return new Decision(ActionType.ESCALATE_TO_HUMAN, KILL_SWITCH, null,
          p.message(ActionType.ESCALATE_TO_HUMAN, lang).orElse(null), toAgent, tenant.routing().humanQueue());
    }
    Optional<String> next = SlotFilling.nextSlotToAsk(m, p);
    for (Policy.Rule r : p.rules()) {
      if (!matches(r.when(), m, u, s, accountOrNull, p, next)) {
        continue;
      }
      switch (r.action()) {
        case ASK_SLOT -> {
          if (next.isEmpty()) {
            continue;
          }
          String slot = next.get();
          return new Decision(ActionType.ASK_SLOT, r.name(), slot, SlotFilling.question(slot, lang, p), toAgent, null);
        }
        case HANDOFF_TO_SALES -> {
          if (m.getHandoffAt() == null && controls.handoffsThisHourForTenant() >= tenant.handoffsPerHour()) {
            return new Decision(ActionType.NURTURE, RATE_LIMITED, null,
                p.message(ActionType.NURTURE, lang).orElse(null), toAgent, null);
          }
          return new Decision(ActionType.HANDOFF_TO_SALES, r.name(), null,
              p.message(ActionType.HANDOFF_TO_SALES, lang).orElse(null), toAgent,
              r.routeTo() != null ? r.routeTo() : salesRoute(m, accountOrNull, tenant.routing()));
        }
        case ESCALATE_TO_HUMAN -> {
          return new Decision(ActionType.ESCALATE_TO_HUMAN, r.name(), null,
              p.message(ActionType.ESCALATE_TO_HUMAN, lang).orElse(null), toAgent,
              r.routeTo() != null ? r.routeTo() : tenant.routing().humanQueue());
        }
        default -> {
          return new Decision(r.action(), r.name(), null, p.message(r.action(), lang).orElse(null),
              toAgent && r.action() != ActionType.NONE, r.routeTo());
        }
      }
    }
    return new Decision(ActionType.NONE, DEFAULT, null, null, false, null);
  }

  /** Where a handoff goes: account owner, territory queue, or a sales queue chosen per session. */
  public static String salesRoute(SessionMemory m, CrmAccount accountOrNull, Policy.Routing r) {
    if (accountOrNull != null) {
      if (r.preferAccountOwner() && accountOrNull.getOwner() != null && !accountOrNull.getOwner().isBlank()) {
        return accountOrNull.getOwner();
      }
      if ("territory".equals(r.strategy()) && accountOrNull.getTerritory() != null) {
        String q = r.territories().get(accountOrNull.getTerritory());
        if (q != null) {
          return q;
        }
      }
    }
    List<String> queues = r.salesQueues();
    if (queues.size() == 1) {
      return queues.get(0);
    }
    // Round robin without shared state: sessions spread evenly by a stable hash of their identity.
    String key = m.getTenantId() + "|" + m.getOpenedAt() + "|" + (m.getTraceId() == null ? "" : m.getTraceId());
    int h = java.util.Arrays.hashCode(key.getBytes(StandardCharsets.UTF_8));
    return queues.get(Math.floorMod(h, queues.size()));
  }

  static boolean matches(Policy.Condition c, SessionMemory m, Understanding u, Score s, CrmAccount a, Policy p,
      Optional<String> next) {
    String category = u == null || u.category() == null ? "other" : u.category();
    if (c.tenant() != null && !c.tenant().contains(m.getTenantId())) {
      return false;
    }
    if (c.category() != null && (u == null || !c.category().contains(category))) {
      return false;
    }
    if (c.categoryNot() != null && u != null && c.categoryNot().contains(category)) {
      return false;
    }
    if (c.intent() != null && (u == null || !c.intent().contains(u.intent()))) {
      return false;
    }
    if (c.minConfidence() != null && (u == null || u.confidence() < c.minConfidence())) {
      return false;
    }
    if (c.messageHasSlots() != null && (u != null && !u.slots().isEmpty()) != c.messageHasSlots()) {
      return false;
    }
    if (c.leadSignal() != null && (u != null && u.isLeadSignal()) != c.leadSignal()) {
      return false;
    }
    if (c.salesInterest() != null && SessionMemories.salesInterest(m) != c.salesInterest()) {
      return false;
    }
    if (c.wantsHuman() != null && (u != null && u.wantsHuman()) != c.wantsHuman()) {
      return false;
    }
    if (c.wantsSales() != null && (u != null && u.wantsSales()) != c.wantsSales()) {
      return false;
    }
    if (c.slotsFilled() != null) {
      for (String slot : c.slotsFilled()) {
        if (!SlotFilling.isFilled(m, slot, p)) {
          return false;
        }
      }
    }
    if (c.slotsMissing() != null && !c.slotsMissing().isEmpty()) {
      boolean any = false;
      for (String slot : c.slotsMissing()) {
        any |= !SlotFilling.isFilled(m, slot, p) && !SlotFilling.isDeclined(m, slot);
      }
      if (!any) {
        return false;
      }
    }
    if (c.requiredSlotsComplete() != null && SlotFilling.requiredComplete(m, p) != c.requiredSlotsComplete()) {
      return false;
    }
    if (c.nextSlotAvailable() != null && next.isPresent() != c.nextSlotAvailable()) {
      return false;
    }
    int score = s == null ? m.getScore() : s.total();
    if (c.scoreAtLeast() != null && score < c.scoreAtLeast()) {
      return false;
    }
    if (c.scoreBelow() != null && score >= c.scoreBelow()) {
      return false;
    }
    if (c.sentimentBelow() != null && (u == null || u.sentiment() >= c.sentimentBelow())) {
      return false;
    }
    if (c.sentimentTrendBelow() != null && m.getSentimentTrend() >= c.sentimentTrendBelow()) {
      return false;
    }
    if (c.urgency() != null) {
      String urgency = u != null && u.urgency() != null ? u.urgency() : m.getUrgency();
      if (!c.urgency().contains(urgency)) {
        return false;
      }
    }
    if (c.timeline() != null) {
      String bucket = SlotFilling.timelineBucket(m, m.getLastEventAt());
      if (bucket == null || !c.timeline().contains(bucket)) {
        return false;
      }
    }
    if (c.agentActive() != null && m.getAgentActive() != c.agentActive()) {
      return false;
    }
    if (c.handedOff() != null && (m.getHandoffAt() != null) != c.handedOff()) {
      return false;
    }
    if (c.hasAccount() != null && (a != null) != c.hasAccount()) {
      return false;
    }
    if (c.existingCustomer() != null && (a != null && a.getExistingCustomer()) != c.existingCustomer()) {
      return false;
    }
    if (c.vip() != null && (a != null && a.getVip()) != c.vip()) {
      return false;
    }
    return c.openOpportunity() == null || (a != null && a.getOpenOpportunity()) == c.openOpportunity();
  }
}
