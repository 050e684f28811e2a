package dev.spotbatch.dispatcher.sim;

import java.util.Locale;

/** Which pools a simulated run offers the autoscaler. */
public enum Strategy {
  /** On-demand pools only: the baseline every saving is measured against. */
  ON_DEMAND,
  /** Spot pools, with the on-demand pools as the autoscaler's fallback for deadlines. */
  SPOT,
  /** Spot above an on-demand base of {@code fleet.mixedOnDemandShare} of the workers. */
  MIXED,
  /** The budget provider's pools only (when the scenario has one). */
  BUDGET;

  /** The name in the API and the CLI: {@code on-demand}, {@code spot}, ... */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
