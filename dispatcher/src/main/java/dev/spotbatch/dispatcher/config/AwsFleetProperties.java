package dev.spotbatch.dispatcher.config;

import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.dispatcher.fleet.aws.AwsCapacityProvider;
import dev.spotbatch.model.Lifecycle;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The AWS Auto Scaling provider's settings ({@code spotbatch.fleet.aws.*}, read when {@code
 * spotbatch.fleet.provider=aws}), validated once at start with messages that name the property. The
 * dispatcher binds it whatever the provider ({@code @ConfigurationPropertiesScan}), so what only
 * the AWS provider needs (a pool at least) is checked by {@link #requirePools()}.
 *
 * @param region the groups' region; default: {@code spring.cloud.aws.region.static} / the SDK's
 *     region chain
 * @param endpoint an Auto Scaling endpoint override (a test server, a VPC endpoint)
 * @param groupPrefix when set, every group must start with it (the IAM roles reach only those)
 * @param maxAttempts attempts per call by the SDK's standard retry strategy, the first included
 * @param apiCallTimeout the most one call may take, retries included
 * @param failureWindow how far back failed launches are read (at least the pool block TTL)
 * @param pools one entry per pool: its Auto Scaling group and what it launches
 */
@ConfigurationProperties("spotbatch.fleet.aws")
public record AwsFleetProperties(
    String region,
    URI endpoint,
    String groupPrefix,
    @DefaultValue("3") int maxAttempts,
    @DefaultValue("20s") Duration apiCallTimeout,
    @DefaultValue("3m") Duration failureWindow,
    List<PoolGroup> pools) {
  static final String PREFIX = "spotbatch.fleet.aws";

  /**
   * One pool and the Auto Scaling group that holds it ({@code spotbatch.fleet.aws.pools[n].*}).
   *
   * @param name the pool's name, as the autoscaler and the API show it ({@code
   *     spot.g5.xlarge.us-east-1a}, worker_fleet's {@code pools} output)
   * @param group the Auto Scaling group's name
   * @param lifecycle {@code spot} or {@code on-demand}
   */
  public record PoolGroup(
      String name, String group, String instanceType, String zone, Lifecycle lifecycle) {}

  public AwsFleetProperties {
    region = blankToNull(region);
    groupPrefix = blankToNull(groupPrefix);
    apiCallTimeout = apiCallTimeout == null ? Duration.ofSeconds(20) : apiCallTimeout;
    failureWindow = failureWindow == null ? Duration.ofMinutes(3) : failureWindow;
    pools = pools == null ? List.of() : List.copyOf(pools);
    if (maxAttempts < 1 || maxAttempts > 10) {
      throw new IllegalArgumentException(
          PREFIX + ".max-attempts must be within 1..10, was " + maxAttempts);
    }
    if (apiCallTimeout.isNegative() || apiCallTimeout.isZero()) {
      throw new IllegalArgumentException(
          PREFIX + ".api-call-timeout must be > 0, was " + apiCallTimeout);
    }
    if (failureWindow.isNegative() || failureWindow.isZero()) {
      throw new IllegalArgumentException(
          PREFIX + ".failure-window must be > 0, was " + failureWindow);
    }
    Set<String> names = new HashSet<>();
    Set<String> groups = new HashSet<>();
    for (int i = 0; i < pools.size(); i++) {
      PoolGroup p = pools.get(i);
      String at = PREFIX + ".pools[" + i + "]";
      require(p.name(), at + ".name");
      require(p.group(), at + ".group");
      require(p.instanceType(), at + ".instance-type");
      require(p.zone(), at + ".zone");
      if (p.lifecycle() == null || p.lifecycle() == Lifecycle.UNKNOWN) {
        throw new IllegalArgumentException(at + ".lifecycle must be spot or on-demand");
      }
      if (!names.add(p.name())) {
        throw new IllegalArgumentException(
            at + ".name " + p.name() + " is used twice: pool names must be unique");
      }
      if (!groups.add(p.group())) {
        throw new IllegalArgumentException(
            at + ".group " + p.group() + " holds two pools: one Auto Scaling group per pool");
      }
      if (groupPrefix != null && !p.group().startsWith(groupPrefix)) {
        throw new IllegalArgumentException(
            at
                + ".group "
                + p.group()
                + " does not start with "
                + PREFIX
                + ".group-prefix "
                + groupPrefix
                + ": the dispatcher's IAM role reaches only those groups");
      }
    }
  }

  /**
   * Fails, naming the properties to set, when no pool is configured (the AWS provider needs one).
   */
  public void requirePools() {
    if (pools.isEmpty()) {
      throw new IllegalStateException(
          PREFIX
              + ".pools must name at least one pool with spotbatch.fleet.provider=aws: "
              + PREFIX
              + ".pools[0].name=spot.g5.xlarge.us-east-1a, .group=<its Auto Scaling group>,"
              + " .instance-type=g5.xlarge, .zone=us-east-1a, .lifecycle=spot (Terraform's"
              + " worker_fleet output 'pools' lists them)");
    }
  }

  /** The pools, each with its group, in configured order. */
  public Map<Pool, String> poolGroups() {
    Map<Pool, String> out = new LinkedHashMap<>();
    for (PoolGroup p : pools) {
      out.put(
          new Pool(
              p.name().trim(),
              AwsCapacityProvider.NAME,
              p.instanceType().trim(),
              p.zone().trim(),
              p.lifecycle()),
          p.group().trim());
    }
    return out;
  }

  private static void require(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
