package dev.spotbatch.worker.notice.aws;

import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.io.IOException;
import java.util.Optional;

/** Loads {@link InstanceFacts} ({@code provider = "aws"}) from IMDSv2. */
public final class AwsInstanceFacts {
  private AwsInstanceFacts() {}

  /**
   * instance-id, instance-type, placement/availability-zone, placement/region (else the zone minus
   * its last letter), instance-life-cycle ({@code spot} is SPOT, anything else ON_DEMAND).
   */
  public static InstanceFacts load(ImdsClient imds) throws IOException, InterruptedException {
    String id =
        imds.get("instance-id")
            .map(String::trim)
            .orElseThrow(() -> new IOException("IMDS has no instance-id"));
    String type = trimmed(imds.get("instance-type"));
    String zone = trimmed(imds.get("placement/availability-zone"));
    String region = trimmed(imds.get("placement/region"));
    if (region == null && zone != null && zone.length() > 1) {
      region = zone.substring(0, zone.length() - 1);
    }
    String lifeCycle = trimmed(imds.get("instance-life-cycle"));
    Lifecycle lifecycle =
        lifeCycle == null
            ? Lifecycle.UNKNOWN
            : lifeCycle.equals("spot") ? Lifecycle.SPOT : Lifecycle.ON_DEMAND;
    return new InstanceFacts("aws", id, type, region, zone, lifecycle);
  }

  private static String trimmed(Optional<String> value) {
    return value.map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
  }
}
