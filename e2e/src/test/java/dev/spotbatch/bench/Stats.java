package dev.spotbatch.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median, percentiles and spread of benchmark runs. */
final class Stats {
  private Stats() {}

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static String describe(List<Double> values) {
    return String.format(
        Locale.ROOT,
        "median %.3f (min %.3f, max %.3f, n=%d)",
        median(values),
        Collections.min(values),
        Collections.max(values),
        values.size());
  }

  static String list(List<Double> values) {
    StringBuilder sb = new StringBuilder();
    for (double v : values) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(String.format(Locale.ROOT, "%.1f", v));
    }
    return sb.toString();
  }

  /** Nearest-rank percentile ({@code p} in 0..100): the smallest value with p% at or below it. */
  static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  static double mean(List<Double> values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return values.isEmpty() ? Double.NaN : sum / values.size();
  }
}
