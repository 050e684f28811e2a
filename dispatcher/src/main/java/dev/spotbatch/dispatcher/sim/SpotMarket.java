package dev.spotbatch.dispatcher.sim;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.SplittableRandom;

/**
 * The market of one run: each pool's price and interruption rate by hour of week. A spot price is
 * the pool's weekday price, {@code offPeakDiscount} lower at night and on weekends, times a random
 * move per pool and hour; interruption rates are {@code weekendInterruptionFactor} lower on
 * weekends. Every draw comes from the seed, the pool and the hour, so a run repeats exactly and two
 * strategies of one seed see the same market.
 */
final class SpotMarket {
  private final Scenario.Market market;
  private final long seed;

  SpotMarket(Scenario.Market market, long seed) {
    this.market = market;
    this.seed = seed;
  }

  /** The price of one machine of {@code pool} in the hour that holds {@code at}. */
  double usdPerHour(ScenarioPool pool, Instant at) {
    if (pool.kind() != PoolKind.SPOT) {
      return pool.usdPerHour();
    }
    double price = pool.usdPerHour() * (offPeak(at) ? 1 - market.offPeakDiscount() : 1);
    double sigma = market.hourlyPriceVolatility();
    if (sigma > 0) {
      long hour = Math.floorDiv(at.getEpochSecond(), 3600);
      double z = gaussian(new SplittableRandom(mix(seed, pool.name().hashCode(), hour)));
      price *= Math.exp(sigma * z - sigma * sigma / 2);
    }
    return price;
  }

  /** Interruptions per worker-hour of {@code pool} at {@code at}. */
  double interruptionsPerHour(ScenarioPool pool, Instant at) {
    return pool.interruptionsPerHour() * (weekend(at) ? market.weekendInterruptionFactor() : 1);
  }

  /** The highest rate the pool ever has (for thinning). */
  double peakInterruptionsPerHour(ScenarioPool pool) {
    return pool.interruptionsPerHour() * Math.max(1, market.weekendInterruptionFactor());
  }

  /** The cost of one machine of {@code pool} from {@code from} to {@code to}, hour by hour. */
  double usd(ScenarioPool pool, Instant from, Instant to) {
    double usd = 0;
    Instant t = from;
    while (t.isBefore(to)) {
      Instant hourEnd = Instant.ofEpochSecond((Math.floorDiv(t.getEpochSecond(), 3600) + 1) * 3600);
      Instant end = hourEnd.isBefore(to) ? hourEnd : to;
      usd += usdPerHour(pool, t) * Duration.between(t, end).toNanos() / 3.6e12;
      t = end;
    }
    return usd;
  }

  /**
   * When a machine of {@code pool} launched at {@code from} is interrupted (a non-homogeneous
   * Poisson process, drawn by thinning); null when never within {@code horizon}.
   */
  Instant nextInterruption(ScenarioPool pool, Instant from, Duration horizon, SplittableRandom r) {
    double peak = peakInterruptionsPerHour(pool);
    if (pool.kind() != PoolKind.SPOT || peak <= 0) {
      return null;
    }
    Instant end = from.plus(horizon);
    Instant t = from;
    while (true) {
      double hours = -Math.log(1 - r.nextDouble()) / peak;
      t = t.plusMillis(Math.max(1, Math.round(hours * 3_600_000)));
      if (t.isAfter(end)) {
        return null;
      }
      if (r.nextDouble() * peak <= interruptionsPerHour(pool, t)) {
        return t;
      }
    }
  }

  boolean weekend(Instant at) {
    DayOfWeek d = at.atZone(ZoneOffset.UTC).getDayOfWeek();
    return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY;
  }

  boolean offPeak(Instant at) {
    if (weekend(at)) {
      return true;
    }
    int h = ZonedDateTime.ofInstant(at, ZoneOffset.UTC).getHour();
    int s = market.nightStartHour();
    int e = market.nightEndHour();
    return s <= e ? h >= s && h < e : h >= s || h < e;
  }

  private static double gaussian(SplittableRandom r) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A seed for the draws of one (seed, a, b), well mixed. */
  static long mix(long seed, long a, long b) {
    long h = seed * 0x9E3779B97F4A7C15L;
    h ^= a + 0x632BE59BD9B4E019L + (h << 6) + (h >>> 2);
    h ^= b * 0xBF58476D1CE4E5B9L + (h << 6) + (h >>> 2);
    return new SplittableRandom(h).nextLong();
  }
}
