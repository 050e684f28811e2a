package dev.spotbatch.dispatcher.cost;

import java.time.Instant;
import java.util.List;

/**
 * One watched machine's spot price against the rules that apply to it.
 *
 * @param pool the watched machine's name (a fleet pool, or {@code provider/region/type})
 * @param pctOfOnDemand the spot price as a percentage of on-demand; null without an on-demand price
 * @param pricing the spot price's basis ({@code refreshed}, {@code estimate}, {@code simulated}...)
 * @param firing true while a rule's threshold is passed
 * @param since when it started firing; null when it does not
 * @param rules the rules that apply (all of them passed when firing; otherwise those watching it)
 * @param message what happened, in words (null when not firing)
 */
public record PriceAlert(
    String pool,
    String provider,
    String region,
    String instanceType,
    double usdPerHour,
    Double onDemandUsdPerHour,
    Double pctOfOnDemand,
    String pricing,
    boolean firing,
    Instant since,
    List<String> rules,
    String message) {}
