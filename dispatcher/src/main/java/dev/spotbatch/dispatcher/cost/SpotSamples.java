package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.dispatcher.fleet.scaling.PricePoint;
import dev.spotbatch.model.Lifecycle;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Pure functions over a spot price history: its current price, and its hourly series. */
public final class SpotSamples {
  private SpotSamples() {}

  /** Per instance type, the newest price of each zone averaged over the zones. */
  public static List<Price> current(String provider, String region, List<SpotSample> samples) {
    // type -> zone -> newest sample
    Map<String, Map<String, SpotSample>> newest = new TreeMap<>();
    for (SpotSample s : samples) {
      newest
          .computeIfAbsent(s.instanceType(), k -> new TreeMap<>())
          .merge(s.zone(), s, (a, b) -> b.at().isAfter(a.at()) ? b : a);
    }
    List<Price> prices = new ArrayList<>();
    for (Map.Entry<String, Map<String, SpotSample>> e : newest.entrySet()) {
      double sum = 0;
      Instant latest = null;
      for (SpotSample s : e.getValue().values()) {
        sum += s.usdPerHour();
        latest = latest == null || s.at().isAfter(latest) ? s.at() : latest;
      }
      int zones = e.getValue().size();
      prices.add(
          new Price(
              provider,
              region,
              e.getKey(),
              Lifecycle.SPOT,
              sum / zones,
              PriceBasis.REFRESHED,
              "EC2 DescribeSpotPriceHistory Linux/UNIX, mean of the newest price in "
                  + zones
                  + " zone(s)",
              latest.atOffset(ZoneOffset.UTC).toLocalDate()));
    }
    return prices;
  }

  /**
   * The price of one instance type at the start of every hour of [{@code from}, {@code to}): in
   * each zone the price in effect then (the newest change at or before it), averaged over the zones
   * that have one. Hours before the first change of every zone are left out. This turns AWS's
   * change log into the evenly spaced points an hour-of-week forecast averages (a price that held
   * for a day counts 24 times, not once).
   *
   * @param series the name the points carry (the history's key)
   */
  public static List<PricePoint> hourly(
      String series, List<SpotSample> samples, Instant from, Instant to) {
    Map<String, List<SpotSample>> byZone = new TreeMap<>();
    for (SpotSample s : samples) {
      byZone.computeIfAbsent(s.zone(), k -> new ArrayList<>()).add(s);
    }
    byZone.values().forEach(l -> l.sort(Comparator.comparing(SpotSample::at)));
    List<PricePoint> out = new ArrayList<>();
    int[] next = new int[byZone.size()];
    List<List<SpotSample>> zones = List.copyOf(byZone.values());
    for (Instant t = from.truncatedTo(ChronoUnit.HOURS);
        t.isBefore(to);
        t = t.plus(Duration.ofHours(1))) {
      double sum = 0;
      int n = 0;
      for (int z = 0; z < zones.size(); z++) {
        List<SpotSample> l = zones.get(z);
        while (next[z] < l.size() && !l.get(next[z]).at().isAfter(t)) {
          next[z]++;
        }
        if (next[z] > 0) {
          sum += l.get(next[z] - 1).usdPerHour();
          n++;
        }
      }
      if (n > 0) {
        out.add(new PricePoint(series, t, sum / n));
      }
    }
    return out;
  }
}
