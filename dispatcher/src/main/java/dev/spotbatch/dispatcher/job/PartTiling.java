package dev.spotbatch.dispatcher.job;

import dev.spotbatch.model.ByteRange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The exactly-once rule of the manifest, as pure functions over part and item rows: which of the
 * parts workers committed for an item cover its range exactly once. Parts arrive at least once and
 * may overlap (a checkpoint and a complete run from the same start, a lease that ran out while its
 * owner was checkpointing); the manifest lists one tiling per item and never a duplicate.
 */
public final class PartTiling {
  private PartTiling() {}

  /**
   * The parts a job's manifest lists: for each succeeded item, data parts that tile the item's
   * range exactly once ({@link #tile}), and the error parts of the same ranges; both sorted by
   * path. An item whose parts do not tile its range is reported as untiled.
   *
   * @param succeeded the job's SUCCEEDED items
   * @param parts every part row of the job, data and error
   */
  public static SelectedParts select(List<ItemRow> succeeded, List<PartRow> parts) {
    Map<String, List<PartRow>> dataByItem = new HashMap<>();
    Map<String, Map<ByteRange, PartRow>> errorsByItem = new HashMap<>();
    for (PartRow p : parts) {
      switch (p.kind()) {
        case DATA -> dataByItem.computeIfAbsent(p.itemId(), k -> new ArrayList<>()).add(p);
        case ERROR ->
            errorsByItem
                .computeIfAbsent(p.itemId(), k -> new HashMap<>())
                .putIfAbsent(p.range(), p);
      }
    }
    List<PartRow> data = new ArrayList<>();
    List<PartRow> errors = new ArrayList<>();
    List<ItemRow> untiled = new ArrayList<>();
    for (ItemRow item : succeeded) {
      Optional<List<PartRow>> tiling =
          tile(item.range(), dataByItem.getOrDefault(item.itemId(), List.of()));
      if (tiling.isEmpty()) {
        untiled.add(item);
        continue;
      }
      Map<ByteRange, PartRow> itemErrors = errorsByItem.getOrDefault(item.itemId(), Map.of());
      for (PartRow p : tiling.get()) {
        data.add(p);
        PartRow e = itemErrors.get(p.range());
        if (e != null) {
          errors.add(e);
        }
      }
    }
    Comparator<PartRow> byPath = Comparator.comparing(PartRow::path);
    data.sort(byPath);
    errors.sort(byPath);
    return new SelectedParts(data, errors, untiled);
  }

  /**
   * Parts that tile {@code range} exactly once: the first starts at {@code range.start}, each next
   * one where the previous ended, the last ends at {@code range.end}; the fewest such parts (a
   * breadth-first search over offsets, longer parts tried first, then by path), or empty if none
   * does. Duplicates and overlapping parts are simply not chosen.
   */
  public static Optional<List<PartRow>> tile(ByteRange range, List<PartRow> parts) {
    List<PartRow> sorted = new ArrayList<>();
    for (PartRow p : parts) {
      ByteRange r = p.range();
      if (r.start() >= range.start() && r.end() <= range.end()) {
        sorted.add(p);
      }
    }
    if (range.isEmpty()) {
      return sorted.stream()
          .filter(p -> p.range().isEmpty())
          .min(Comparator.comparing(PartRow::path))
          .map(List::of);
    }
    sorted.sort(
        Comparator.comparingLong((PartRow p) -> p.range().start())
            .thenComparing(Comparator.comparingLong((PartRow p) -> p.range().end()).reversed())
            .thenComparing(PartRow::path));
    Map<Long, List<PartRow>> from = new HashMap<>();
    for (PartRow p : sorted) {
      if (!p.range().isEmpty()) {
        from.computeIfAbsent(p.range().start(), k -> new ArrayList<>()).add(p);
      }
    }
    Map<Long, PartRow> reachedBy = new HashMap<>();
    ArrayDeque<Long> queue = new ArrayDeque<>();
    queue.add(range.start());
    reachedBy.put(range.start(), null);
    while (!queue.isEmpty()) {
      long at = queue.poll();
      if (at == range.end()) {
        List<PartRow> path = new ArrayList<>();
        for (PartRow p = reachedBy.get(at); p != null; p = reachedBy.get(p.range().start())) {
          path.add(p);
        }
        Collections.reverse(path);
        return Optional.of(List.copyOf(path));
      }
      for (PartRow p : from.getOrDefault(at, List.of())) {
        long next = p.range().end();
        if (!reachedBy.containsKey(next)) {
          reachedBy.put(next, p);
          queue.add(next);
        }
      }
    }
    return Optional.empty();
  }
}
