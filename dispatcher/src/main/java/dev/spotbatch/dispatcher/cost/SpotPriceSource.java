package dev.spotbatch.dispatcher.cost;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The port to a provider's current spot prices (AWS: EC2 {@code DescribeSpotPriceHistory}). */
public interface SpotPriceSource {
  /** The provider whose prices this reads ({@code aws}). */
  String provider();

  /**
   * The current spot price of each of {@code instanceTypes} in {@code region}, from the history
   * since {@code since}; types without history are left out.
   *
   * @throws RuntimeException when the provider cannot be read (the caller keeps its prices)
   */
  List<Price> spotPrices(String region, Collection<String> instanceTypes, Instant since);
}
