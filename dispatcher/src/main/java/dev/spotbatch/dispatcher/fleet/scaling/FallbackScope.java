package dev.spotbatch.dispatcher.fleet.scaling;

/** Which work may launch on-demand workers (beyond the on-demand base) when spot falls short. */
public enum FallbackScope {
  /** Only work with a deadline; undated work waits for spot (or the base) to come back. */
  DEADLINES,
  /** Any work, including the drain target of undated jobs. */
  ALL_WORK
}
