package dev.spotbatch.dispatcher.sim;

import dev.spotbatch.model.Lifecycle;

/** What a simulated pool sells: spot capacity, on-demand capacity, or a budget provider's. */
public enum PoolKind {
  /** Interruptible, with a notice; its price moves by hour of week. */
  SPOT,
  /** Stable, at the list price. */
  ON_DEMAND,
  /**
   * A budget GPU provider (fixed price, not interrupted here); offered only to the {@link
   * Strategy#BUDGET} strategy.
   */
  BUDGET;

  /** The lifecycle the autoscaler sees. */
  public Lifecycle lifecycle() {
    return this == SPOT ? Lifecycle.SPOT : Lifecycle.ON_DEMAND;
  }
}
