package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.model.Lifecycle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes a {@link PriceBook}'s spot prices from a {@link SpotPriceSource}, one region at a time,
 * for every instance type the book prices for that provider. A region that cannot be read keeps its
 * prices (and the failure is counted); the caller runs {@link #refresh} on its schedule.
 */
public final class SpotPriceRefresher {
  private static final Logger log = LoggerFactory.getLogger(SpotPriceRefresher.class);

  /** What one refresh did. */
  public record Outcome(int updated, List<String> failedRegions, Instant at) {}

  private final PriceBook book;
  private final SpotPriceSource source;
  private final List<String> regions;
  private final Duration lookback;
  private final Clock clock;
  private volatile Outcome last;

  public SpotPriceRefresher(
      PriceBook book,
      SpotPriceSource source,
      List<String> regions,
      Duration lookback,
      Clock clock) {
    this.book = Objects.requireNonNull(book, "book");
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
    List<String> failed = new java.util.ArrayList<>();
    for (String region : regions) {
      try {
        for (Price p : source.spotPrices(region, types, now.minus(lookback))) {
          if (p.lifecycle() == Lifecycle.SPOT && p.usdPerHour() > 0) {
            book.update(p);
            updated++;
          }
        }
      } catch (RuntimeException e) {
        failed.add(region);
        log.warn(
            "spot prices of {} not refreshed, the book keeps its prices: {}", region, e.toString());
      }
    }
    Outcome o = new Outcome(updated, List.copyOf(failed), now);
    last = o;
    log.info("spot prices refreshed: {} prices updated, regions failed: {}", updated, failed);
    return o;
  }

  /** The last refresh; null before the first. */
  public Outcome last() {
    return last;
  }
}
