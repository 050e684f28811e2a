package dev.spotbatch.worker.inference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Picks one batch of records of similar length from those queued ({@link BatchOrder#LENGTH}): sorts
 * them by length, longest first, cuts the sorted list into batches of {@code batchSize} from the
 * longest end, and takes the batch that holds the oldest record. For a pool that gets no new
 * records this is the cut with the least padding, batch after batch; and since every batch holds
 * the oldest record then queued, no record waits behind more than the records queued with it (no
 * starvation, whatever keeps arriving). A pure function; the caller holds the lock.
 */
final class LengthGroups {
  private LengthGroups() {}

  /**
   * Moves one batch from {@code queued} (oldest first) to {@code batch}; the records left stay in
   * {@code queued} in their order.
   *
   * @return how many records were moved
   */
  static <T> int pick(List<T> queued, int batchSize, ToIntFunction<T> length, List<T> batch) {
    int n = queued.size();
    if (n <= batchSize) {
      batch.addAll(queued);
      queued.clear();
      return n;
    }
    Integer[] byLength = new Integer[n];
    for (int i = 0; i < n; i++) {
      byLength[i] = i;
    }
    // longest first; equal lengths in arrival order (a stable sort), so the cut is deterministic
    java.util.Arrays.sort(
        byLength,
        Comparator.<Integer>comparingInt(i -> length.applyAsInt(queued.get(i))).reversed());
    int oldestAt = 0;
    while (byLength[oldestAt] != 0) {
      oldestAt++;
    }
    int from = oldestAt / batchSize * batchSize;
    int to = Math.min(n, from + batchSize);
    boolean[] taken = new boolean[n];
    for (int k = from; k < to; k++) {
      taken[byLength[k]] = true;
    }
    List<T> left = new ArrayList<>(n - (to - from));
    for (int i = 0; i < n; i++) {
      if (taken[i]) {
        batch.add(queued.get(i));
      } else {
        left.add(queued.get(i));
      }
    }
    queued.clear();
    queued.addAll(left);
    return to - from;
  }
}
