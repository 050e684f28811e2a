package dev.spotbatch.dispatcher.cost;

/**
 * A spot machine whose price is watched for alerts: a fleet pool, or a machine an alert rule names.
 *
 * @param name the pool's name, or {@code provider/region/type} for a machine outside the fleet
 * @param spot its spot price now (the refreshed price on AWS)
 * @param onDemand the same machine on demand; {@link Quote#known()} false when the book has none
 */
public record WatchedMachine(
    String name, String provider, String region, String instanceType, Quote spot, Quote onDemand) {}
