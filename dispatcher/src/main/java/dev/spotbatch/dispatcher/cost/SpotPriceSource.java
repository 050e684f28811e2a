package dev.spotbatch.dispatcher.cost;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The port to a provider's spot price history (AWS: EC2 {@code DescribeSpotPriceHistory}). */
public interface SpotPriceSource {
  /** The provider whose prices this reads ({@code aws}). */
  String provider();

  /**
   * Every price change of {@code instanceTypes} in {@code region}'s zones since {@code since}, all
   * pages; types without history are left out.
   *
   * @throws RuntimeException when the provider cannot be read (the caller keeps what it has)
   */
  List<SpotSample> history(String region, Collection<String> instanceTypes, Instant since);

  /**
   * The current spot price of each of {@code instanceTypes} in {@code region}: the newest price of
   * each zone, averaged over the zones (a pool may launch in any of them).
   */
  default List<Price> spotPrices(String region, Collection<String> instanceTypes, Instant since) {
    return SpotSamples.current(provider(), region, history(region, instanceTypes, since));
  }
}
