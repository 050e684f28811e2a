package dev.spotbatch.dispatcher.fleet.aws;

import java.util.Objects;

/**
 * Which Auto Scaling group holds which pool.
 *
 * @param pool the pool's name, as the autoscaler knows it
 * @param groupName the Auto Scaling group's name
 */
public record AsgPool(String pool, String groupName) {
  public AsgPool {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(groupName, "groupName");
  }
}
