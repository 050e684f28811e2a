package dev.spotbatch.dispatcher.fleet.local;

/** Who sizes the local fleet. */
public enum FleetSizing {
  /**
   * A fixed number of spot workers ({@code --workers N}): slots {@code local-1..N}, a lost process
   * replaced in its slot, the highest-numbered slots stopped when the count is lowered.
   */
  FIXED,
  /**
   * The autoscaler sets a desired count per pool: new slots get new numbers; a worker taken away (a
   * notice, a kill) is not relaunched (the autoscaler launched its replacement while it drained, or
   * does on its next tick) and its pool's desired count drops by one; one that crashed is
   * relaunched in its slot; a lowered count only drops slots without a running process, and a
   * running worker stops only when the autoscaler names it ({@code scaleIn}), idle.
   */
  AUTOSCALED
}
