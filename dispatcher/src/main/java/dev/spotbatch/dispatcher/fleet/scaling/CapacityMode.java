package dev.spotbatch.dispatcher.fleet.scaling;

/** Where capacity above the on-demand base comes from in a plan. */
public enum CapacityMode {
  /** Spot above the base (or on-demand only where no spot pool exists). */
  SPOT,
  /** Spot falls short of a deadline; on-demand workers beyond the base make up the difference. */
  ON_DEMAND_FALLBACK
}
