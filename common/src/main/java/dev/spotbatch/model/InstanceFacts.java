package dev.spotbatch.model;

import java.util.Objects;

/**
 * What a worker runs on. Every event carries these facts so the dispatcher can attribute
 * machine-seconds (and their price) to jobs and measure interruption rates per pool.
 *
 * @param provider {@code aws}, {@code gcp}, {@code azure} or {@code local}
 */
public record InstanceFacts(
    String provider,
    String instanceId,
    String instanceType,
    String region,
    String zone,
    Lifecycle lifecycle) {
  public InstanceFacts {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(instanceId, "instanceId");
    instanceType = instanceType == null ? "unknown" : instanceType;
    region = region == null ? "unknown" : region;
    zone = zone == null ? "unknown" : zone;
    lifecycle = lifecycle == null ? Lifecycle.UNKNOWN : lifecycle;
  }

  /** Facts for a process of the local fleet, which has no cloud behind it. */
  public static InstanceFacts local(String instanceId) {
    return new InstanceFacts("local", instanceId, "local", "local", "local", Lifecycle.ON_DEMAND);
  }
}
