package dev.spotbatch.worker.notice.gcp;

import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.io.IOException;

/** Loads {@link InstanceFacts} ({@code provider = "gcp"}) from the GCE metadata server. */
public final class GcpInstanceFacts {
  private GcpInstanceFacts() {}

  /**
   * {@code instance/id}, {@code instance/machine-type} and {@code instance/zone} (their last path
   * segments), the region (the zone minus its {@code -x} suffix), {@code
   * instance/scheduling/preemptible} ({@code TRUE} is SPOT).
   */
  public static InstanceFacts load(GcpMetadataClient metadata)
      throws IOException, InterruptedException {
    String id =
        metadata
            .get("instance/id")
            .map(String::trim)
            .orElseThrow(() -> new IOException("GCE metadata has no instance/id"));
    String type =
        metadata.get("instance/machine-type").map(GcpInstanceFacts::lastSegment).orElse(null);
    String zone = metadata.get("instance/zone").map(GcpInstanceFacts::lastSegment).orElse(null);
    String region =
        zone != null && zone.lastIndexOf('-') > 0 ? zone.substring(0, zone.lastIndexOf('-')) : null;
    Lifecycle lifecycle =
        metadata
            .get("instance/scheduling/preemptible")
            .map(v -> v.trim().equalsIgnoreCase("TRUE") ? Lifecycle.SPOT : Lifecycle.ON_DEMAND)
            .orElse(Lifecycle.UNKNOWN);
    return new InstanceFacts("gcp", id, type, region, zone, lifecycle);
  }

  static String lastSegment(String value) {
    String v = value.trim();
    return v.substring(v.lastIndexOf('/') + 1);
  }
}
