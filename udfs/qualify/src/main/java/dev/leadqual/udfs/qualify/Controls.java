package dev.leadqual.udfs.qualify;

/**
 * The operator's live switches for one decision.
 *
 * @param killSwitch global or tenant kill switch on: no automated questions and no handoffs; the
 *     session goes to the human queue
 * @param handoffsThisHourForTenant handoffs already made this hour for the session's tenant (the
 *     operator keeps the count)
 */
public record Controls(boolean killSwitch, int handoffsThisHourForTenant) {
  /** No kill switch, no handoffs yet. */
  public static final Controls NONE = new Controls(false, 0);
}
