package dev.spotbatch.dispatcher.sim;

import static dev.spotbatch.dispatcher.sim.Scenario.require;

import java.util.Objects;

/**
 * One pool of a scenario's market.
 *
 * @param name unique in the scenario ({@code p5-us-east-1a-spot})
 * @param provider {@code aws}, {@code gcp}, {@code azure} or a budget provider's name
 * @param instanceType the machine ({@code p5.48xlarge})
 * @param zone the zone or region
 * @param kind spot, on-demand or budget
 * @param usdPerHour the price; for spot, the weekday daytime price before the hour's random move
 * @param interruptionsPerHour interruptions per worker-hour on weekdays (spot only)
 * @param noticeSeconds the notice before a spot machine goes (AWS 120 s, GCP and Azure 30 s)
 * @param launchSeconds from launch to a ready worker (boot, image, model load)
 * @param capacity the most machines the pool holds at once (a capacity shortage above); null: no
 *     limit
 * @param launchFailureRate the chance that one launch fails for lack of capacity
 */
public record ScenarioPool(
    String name,
    String provider,
    String instanceType,
    String zone,
    PoolKind kind,
    double usdPerHour,
    Double interruptionsPerHour,
    Integer noticeSeconds,
    Integer launchSeconds,
    Integer capacity,
    Double launchFailureRate) {
  public ScenarioPool {
    require(name != null && !name.isBlank(), "pools[].name is required");
    String where = "pool " + name + ": ";
    require(provider != null && !provider.isBlank(), where + "provider is required");
    require(instanceType != null && !instanceType.isBlank(), where + "instanceType is required");
    zone = Objects.requireNonNullElse(zone, "");
    require(kind != null, where + "kind is SPOT, ON_DEMAND or BUDGET");
    require(usdPerHour >= 0 && Double.isFinite(usdPerHour), where + "usdPerHour must be >= 0");
    interruptionsPerHour =
        kind == PoolKind.SPOT ? Objects.requireNonNullElse(interruptionsPerHour, 0.05) : 0.0;
    require(
        interruptionsPerHour >= 0 && interruptionsPerHour <= 10,
        where + "interruptionsPerHour must be 0..10");
    noticeSeconds =
        Objects.requireNonNullElse(noticeSeconds, "aws".equalsIgnoreCase(provider) ? 120 : 30);
    require(noticeSeconds >= 0 && noticeSeconds <= 3600, where + "noticeSeconds: 0..3600");
    launchSeconds = Objects.requireNonNullElse(launchSeconds, 180);
    require(launchSeconds >= 0 && launchSeconds <= 86_400, where + "launchSeconds: 0..86400");
    require(capacity == null || capacity >= 0, where + "capacity must be >= 0 (or absent)");
    launchFailureRate = Objects.requireNonNullElse(launchFailureRate, 0.0);
    require(launchFailureRate >= 0 && launchFailureRate < 1, where + "launchFailureRate: 0..<1");
  }

  /** This pool with another interruption rate (spot pools only; others stay at 0). */
  public ScenarioPool withInterruptionsPerHour(double rate) {
    return new ScenarioPool(
        name,
        provider,
        instanceType,
        zone,
        kind,
        usdPerHour,
        kind == PoolKind.SPOT ? rate : 0.0,
        noticeSeconds,
        launchSeconds,
        capacity,
        launchFailureRate);
  }

  /** This pool at another price. */
  public ScenarioPool withUsdPerHour(double usd) {
    return new ScenarioPool(
        name,
        provider,
        instanceType,
        zone,
        kind,
        usd,
        interruptionsPerHour,
        noticeSeconds,
        launchSeconds,
        capacity,
        launchFailureRate);
  }
}
