package dev.spotbatch.worker.notice.azure;

import dev.spotbatch.codec.Json;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.io.IOException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads {@link InstanceFacts} ({@code provider = "azure"}) from {@code /metadata/instance/compute}.
 */
public final class AzureInstanceFacts {
  static final String COMPUTE_PATH = "/metadata/instance/compute?api-version=2021-02-01";
  private static final JsonMapper JSON = Json.mapper();

  private AzureInstanceFacts() {}

  /**
   * {@code vmId}, {@code vmSize}, {@code location} (the region), {@code location-zone} (e.g. {@code
   * eastus-1}; the location if the VM has no zone), {@code priority} ({@code Spot} is SPOT).
   */
  public static InstanceFacts load(AzureMetadataClient metadata)
      throws IOException, InterruptedException {
    JsonNode compute = JSON.readTree(metadata.get(COMPUTE_PATH));
    String id = compute.path("vmId").asString("");
    if (id.isEmpty()) {
      throw new IOException("Azure IMDS compute has no vmId");
    }
    String region = blankToNull(compute.path("location").asString(""));
    String zoneNumber = blankToNull(compute.path("zone").asString(""));
    String zone =
        region == null ? zoneNumber : zoneNumber == null ? region : region + "-" + zoneNumber;
    String priority = compute.path("priority").asString("");
    Lifecycle lifecycle = priority.equalsIgnoreCase("Spot") ? Lifecycle.SPOT : Lifecycle.ON_DEMAND;
    return new InstanceFacts(
        "azure", id, blankToNull(compute.path("vmSize").asString("")), region, zone, lifecycle);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
