package dev.spotbatch.dispatcher.cost;

import java.util.Locale;

/**
 * Why machine time was spent on work that had to be done again. A drain's checkpoint writes every
 * chunk the model already ran and a hand-back gives back only unstarted leases, so neither redoes a
 * processed record: they cost drain time (fleet overhead), not wasted work.
 */
public enum WasteKind {
  /** An attempt that failed (model or input error) before the item was tried again. */
  FAILED_ATTEMPT,
  /** A running item neither finished nor checkpointed in its drain: redone from its start. */
  ABANDONED,
  /** The worker vanished without a notice (or was killed at its deadline): its leases were lost. */
  KILLED;

  /** The name in the API ({@code failed-attempt}, {@code killed}, ...). */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
