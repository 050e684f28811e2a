package dev.spotbatch.dispatcher.job;

import java.util.List;

/**
 * The parts a job's manifest lists ({@link PartTiling#select}).
 *
 * @param data for each succeeded item, the data parts that tile its range exactly once, by path
 * @param errors the error parts of exactly those ranges, by path
 * @param untiled succeeded items whose parts do not tile their range yet (not done)
 */
public record SelectedParts(List<PartRow> data, List<PartRow> errors, List<ItemRow> untiled) {
  public SelectedParts {
    data = List.copyOf(data);
    errors = List.copyOf(errors);
    untiled = List.copyOf(untiled);
  }
}
