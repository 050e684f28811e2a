package dev.spotbatch.dispatcher.fleet.scaling;

/** Whether jobs whose deadline leaves slack wait for cheaper hours. */
public enum SlackMode {
  /** Every job is served as soon as it can be (paced to its deadline). */
  OFF,
  /**
   * A job with a deadline runs in the cheapest hours before it (by the price forecast) that still
   * finish it in time, and waits through the others.
   */
  CHEAPEST_HOURS
}
