package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.model.Lifecycle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes a {@link PriceBook}'s spot prices and a {@link SpotPriceHistory} from a {@link
 * SpotPriceSource}, one region at a time, for every instance type the book prices for that
 * provider: one read of the lookback window gives both the current price (the newest per zone) and
 * the hourly history the slack policy forecasts from. A region that cannot be read keeps its prices
 * and history (and the failure is counted); the caller runs {@link #refresh} on its schedule.
 */
public final class SpotPriceRefresher {
  private static final Logger log = LoggerFactory.getLogger(SpotPriceRefresher.class);

  /**
   * What one refresh did.
   *
   * @param histories the machines whose history was replaced
   */
  public record Outcome(int updated, int histories, List<String> failedRegions, Instant at) {}

  private final PriceBook book;
  private final SpotPriceHistory history;
  private final SpotPriceSource source;
  private final List<String> regions;
  private final Duration lookback;
  private final Clock clock;
  private volatile Outcome last;

  /**
   * @param lookback how much history one refresh reads: a week or more, so that every hour of the
   *     week has a price to forecast from
   */
  public SpotPriceRefresher(
      PriceBook book,
      SpotPriceHistory history,
      SpotPriceSource source,
      List<String> regions,
      Duration lookback,
      Clock clock) {
    this.book = Objects.requireNonNull(book, "book");
    this.history = Objects.requireNonNull(history, "history");
    this.source = Objects.requireNonNull(source, "source");
    this.regions = List.copyOf(regions);
    this.lookback = Objects.requireNonNull(lookback, "lookback");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Reads every region once; never throws. */
  public Outcome refresh() {
    TreeSet<String> types = new TreeSet<>();
    for (Price p : book.entries()) {
      if (p.provider().equals(source.provider())) {
        types.add(p.instanceType());
      }
    }
    Instant now = clock.instant();
    int updated = 0;
    int series = 0;
    List<String> failed = new ArrayList<>();
    for (String region : regions) {
      try {
        Instant since = now.minus(lookback);
        List<SpotSample> samples = source.history(region, types, since);
        for (Price p : SpotSamples.current(source.provider(), region, samples)) {
          if (p.lifecycle() == Lifecycle.SPOT && p.usdPerHour() > 0) {
            book.update(p);
            updated++;
          }
        }
        Map<String, List<SpotSample>> byType = new TreeMap<>();
        samples.forEach(
            x -> byType.computeIfAbsent(x.instanceType(), k -> new ArrayList<>()).add(x));
        byType.forEach(
            (type, points) ->
                history.replace(
                    source.provider(),
                    region,
                    type,
                    HistoryBasis.REFRESHED,
                    SpotSamples.hourly(type, points, since, now)));
        series += byType.size();
      } catch (RuntimeException e) {
        failed.add(region);
        log.warn(
            "spot prices of {} not refreshed, the book keeps its prices: {}", region, e.toString());
      }
    }
    Outcome o = new Outcome(updated, series, List.copyOf(failed), now);
    last = o;
    log.info(
        "spot prices refreshed: {} prices updated, {} histories of {} kept, regions failed: {}",
        updated,
        series,
        lookback,
        failed);
    return o;
  }

  /** The last refresh; null before the first. */
  public Outcome last() {
    return last;
  }
}
