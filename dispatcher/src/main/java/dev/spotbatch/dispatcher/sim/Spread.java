package dev.spotbatch.dispatcher.sim;

import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The mean and range of one figure over several runs (seeds). */
public record Spread(double mean, double min, double max) {
  static <T> Spread of(List<T> runs, ToDoubleFunction<T> figure) {
    DoubleSummaryStatistics s = runs.stream().mapToDouble(figure).summaryStatistics();
    return s.getCount() == 0
        ? new Spread(0, 0, 0)
        : new Spread(s.getAverage(), s.getMin(), s.getMax());
  }
}
