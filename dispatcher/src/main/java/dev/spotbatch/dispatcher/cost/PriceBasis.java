package dev.spotbatch.dispatcher.cost;

/** Where a price comes from, so a reader knows how far to trust it. */
public enum PriceBasis {
  /** The provider's own list price, as published. */
  LISTED,
  /** A figure quoted by a public source (an article, a benchmark), not by the provider's list. */
  QUOTED,
  /** Our estimate (a typical spot discount, a regional factor): say so wherever it is shown. */
  ESTIMATE,
  /** Read from the provider's price API ({@code DescribeSpotPriceHistory}) by the refresher. */
  REFRESHED,
  /** Set by configuration ({@code spotbatch.cost.prices}). */
  CONFIGURED,
  /** The local fleet, priced as the instance type it stands in for: nothing is really billed. */
  SIMULATED,
  /** The book does not know this machine: priced at zero and flagged, never silently. */
  UNKNOWN
}
