package dev.spotbatch.dispatcher.sim;

/** What a simulated worker does with its running item when its notice arrives. */
public enum DrainMode {
  /**
   * spotbatch: the real {@link dev.spotbatch.drain.DrainPlanner} decides finish, checkpoint or hand
   * back.
   */
  SPOTBATCH,
  /**
   * What AWS Batch and SkyPilot do: work runs on until the machine is gone, and an unfinished item
   * starts again from scratch.
   */
  RESTART
}
