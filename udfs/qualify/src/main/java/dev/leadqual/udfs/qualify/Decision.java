package dev.leadqual.udfs.qualify;

import dev.leadqual.schema.ActionType;

/**
 * The next action for a session, explainable by the rule that chose it.
 *
 * @param action what to do
 * @param rule the policy rule that fired, or an engine rule: {@code kill_switch}, {@code
 *     rate_limited}, {@code default}
 * @param slot for ASK_SLOT the slot asked for, else null
 * @param message text for the visitor (or the agent when {@code toAgent}) in the visitor's
 *     language: the question for ASK_SLOT, the policy's message for other actions; null when the
 *     policy has none (ANSWER_FROM_KNOWLEDGE: the operator adds the article)
 * @param toAgent a human agent is in the chat: a suggestion for the agent, not a message to the
 *     visitor
 * @param routeTo queue or account owner for HANDOFF_TO_SALES and ESCALATE_TO_HUMAN, else null
 */
public record Decision(ActionType action, String rule, String slot, String message, boolean toAgent, String routeTo) {

  /** Whether emitting this after {@code previous} is a change (action, slot or route differ). */
  public boolean differsFrom(Decision previous) {
    return previous == null
        || previous.action != action
        || !java.util.Objects.equals(previous.slot, slot)
        || !java.util.Objects.equals(previous.routeTo, routeTo);
  }
}
