package dev.spotbatch.dispatcher.cost.aws;

import dev.spotbatch.dispatcher.cost.Price;
import dev.spotbatch.dispatcher.cost.PriceBasis;
import dev.spotbatch.dispatcher.cost.SpotPriceSource;
import dev.spotbatch.model.Lifecycle;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSpotPriceHistoryRequest;
import software.amazon.awssdk.services.ec2.model.SpotPrice;

/**
 * Spot prices from EC2 {@code DescribeSpotPriceHistory} (Linux/UNIX), all pages: for each instance
 * type, the newest price of each availability zone, averaged over the zones (a pool may launch in
 * any of them). One client per region, made by the given factory.
 */
public final class Ec2SpotPriceSource implements SpotPriceSource {
  /** The product the prices are for: our workers run Linux. */
  static final String PRODUCT = "Linux/UNIX";

  private final Function<String, Ec2Client> clients;
  private final Map<String, Ec2Client> byRegion = new HashMap<>();

  /**
   * @param clients an EC2 client for a region
   */
  public Ec2SpotPriceSource(Function<String, Ec2Client> clients) {
    this.clients = clients;
  }

  @Override
  public String provider() {
    return "aws";
  }

  @Override
  public List<Price> spotPrices(String region, Collection<String> instanceTypes, Instant since) {
    Ec2Client ec2;
    synchronized (byRegion) {
      ec2 = byRegion.computeIfAbsent(region, clients);
    }
    DescribeSpotPriceHistoryRequest request =
        DescribeSpotPriceHistoryRequest.builder()
            .instanceTypesWithStrings(instanceTypes)
            .productDescriptions(PRODUCT)
            .startTime(since)
            .build();
    // type -> zone -> newest price
    Map<String, Map<String, SpotPrice>> newest = new TreeMap<>();
    for (SpotPrice p : ec2.describeSpotPriceHistoryPaginator(request).spotPriceHistory()) {
      if (p.instanceTypeAsString() == null || p.spotPrice() == null) {
        continue;
      }
      newest
          .computeIfAbsent(p.instanceTypeAsString(), k -> new TreeMap<>())
          .merge(
              p.availabilityZone(),
              p,
              (a, b) ->
                  a.timestamp() != null
                          && b.timestamp() != null
                          && b.timestamp().isAfter(a.timestamp())
                      ? b
                      : a);
    }
    List<Price> prices = new ArrayList<>();
    for (Map.Entry<String, Map<String, SpotPrice>> e : newest.entrySet()) {
      double sum = 0;
      Instant latest = null;
      for (SpotPrice p : e.getValue().values()) {
        sum += Double.parseDouble(p.spotPrice());
        if (p.timestamp() != null && (latest == null || p.timestamp().isAfter(latest))) {
          latest = p.timestamp();
        }
      }
      int zones = e.getValue().size();
      prices.add(
          new Price(
              "aws",
              region,
              e.getKey(),
              Lifecycle.SPOT,
              sum / zones,
              PriceBasis.REFRESHED,
              "EC2 DescribeSpotPriceHistory "
                  + PRODUCT
                  + ", mean of the newest price in "
                  + zones
                  + " zone(s)",
              latest == null ? null : latest.atOffset(ZoneOffset.UTC).toLocalDate()));
    }
    return prices;
  }

  /** Closes the clients made so far. */
  public void close() {
    synchronized (byRegion) {
      byRegion.values().forEach(Ec2Client::close);
      byRegion.clear();
    }
  }
}
