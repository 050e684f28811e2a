package dev.spotbatch.dispatcher.cost.aws;

import dev.spotbatch.dispatcher.cost.SpotPriceSource;
import dev.spotbatch.dispatcher.cost.SpotSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSpotPriceHistoryRequest;
import software.amazon.awssdk.services.ec2.model.SpotPrice;

/**
 * Spot price history from EC2 {@code DescribeSpotPriceHistory} (Linux/UNIX), all pages. One client
 * per region, made by the given factory.
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
  public List<SpotSample> history(String region, Collection<String> instanceTypes, Instant since) {
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
    List<SpotSample> out = new ArrayList<>();
    for (SpotPrice p : ec2.describeSpotPriceHistoryPaginator(request).spotPriceHistory()) {
      if (p.instanceTypeAsString() == null || p.spotPrice() == null || p.timestamp() == null) {
        continue;
      }
      out.add(
          new SpotSample(
              p.instanceTypeAsString(),
              p.availabilityZone(),
              p.timestamp(),
              Double.parseDouble(p.spotPrice())));
    }
    return out;
  }

  /** Closes the clients made so far. */
  public void close() {
    synchronized (byRegion) {
      byRegion.values().forEach(Ec2Client::close);
      byRegion.clear();
    }
  }
}
