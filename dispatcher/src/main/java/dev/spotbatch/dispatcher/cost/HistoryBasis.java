package dev.spotbatch.dispatcher.cost;

/** Where a spot price history comes from: say so wherever its forecast is used. */
public enum HistoryBasis {
  /** Read from the provider ({@code DescribeSpotPriceHistory}) by the spot price refresher. */
  REFRESHED,
  /**
   * Made up for the local fleet ({@link SimulatedSpotHistory}): the local machines are billed by
   * nobody, and their week follows a fixed pattern so the slack policy has something to work on.
   */
  SIMULATED
}
