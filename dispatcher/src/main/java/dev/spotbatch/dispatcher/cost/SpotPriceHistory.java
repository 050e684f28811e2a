package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.dispatcher.fleet.scaling.HourOfWeekForecast;
import dev.spotbatch.dispatcher.fleet.scaling.PricePoint;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hourly spot price history per machine (provider, region, instance type) and the hour-of-week
 * forecast made from it, for the autoscaler's slack policy. Kept in memory, not in the database:
 * the refresher reads the whole lookback window from the provider each time (AWS keeps 90 days), so
 * a restarted dispatcher has its history back at the first refresh, and a stored copy would only go
 * stale. Each series is replaced whole. Thread-safe.
 */
public final class SpotPriceHistory {
  /** The region the local fleet's simulated series is kept under. */
  public static final String LOCAL_REGION = "local";

  /** One machine's history. */
  public record Series(
      String provider,
      String region,
      String instanceType,
      HistoryBasis basis,
      List<PricePoint> hourly) {
    public Series {
      hourly = List.copyOf(hourly);
    }
  }

  private record Entry(Series series, HourOfWeekForecast forecast) {}

  private final Map<String, Entry> byKey = new ConcurrentHashMap<>();

  /** Replaces the history of one machine with {@code hourly} points. */
  public void replace(
      String provider,
      String region,
      String instanceType,
      HistoryBasis basis,
      List<PricePoint> hourly) {
    String key = key(provider, region, instanceType);
    List<PricePoint> keyed =
        hourly.stream().map(p -> new PricePoint(key, p.at(), p.usdPerHour())).toList();
    byKey.put(
        key,
        new Entry(
            new Series(provider, region, instanceType, Objects.requireNonNull(basis), keyed),
            new HourOfWeekForecast(keyed)));
  }

  /**
   * The expected spot price at {@code at} of a pool's machine, by the hour of the week; empty when
   * there is no history for that hour. The local fleet (by {@link PriceBook#isLocal}) reads the
   * simulated series kept under {@link #LOCAL_REGION}; a cloud pool reads its zone's region.
   */
  public OptionalDouble expected(String provider, String zone, String instanceType, Instant at) {
    if (instanceType == null) {
      return OptionalDouble.empty();
    }
    boolean local = PriceBook.isLocal(provider, zone);
    String key =
        key(
            local ? PriceBook.LOCAL_PROVIDER : provider,
            local ? LOCAL_REGION : regionOf(zone),
            instanceType);
    Entry e = byKey.get(key);
    return e == null ? OptionalDouble.empty() : e.forecast().usdPerHour(key, at);
  }

  /** True when a series of this machine is kept. */
  public boolean has(String provider, String region, String instanceType) {
    return byKey.containsKey(key(provider, region, instanceType));
  }

  /** Every series, sorted by provider, region and type. */
  public List<Series> series() {
    return byKey.values().stream()
        .map(Entry::series)
        .sorted(
            Comparator.comparing(Series::provider)
                .thenComparing(Series::region)
                .thenComparing(Series::instanceType))
        .toList();
  }

  /**
   * The region of an availability zone ({@code us-east-1a} -> {@code us-east-1}); anything else (a
   * region already, a local zone name) as it is.
   */
  public static String regionOf(String zone) {
    if (zone == null) {
      return "";
    }
    return zone.matches("[a-z]{2}(-[a-z]+)+-\\d+[a-z]")
        ? zone.substring(0, zone.length() - 1)
        : zone;
  }

  private static String key(String provider, String region, String instanceType) {
    return (provider + "|" + region + "|" + instanceType).toLowerCase(Locale.ROOT);
  }
}
