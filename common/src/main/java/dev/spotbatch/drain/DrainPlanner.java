package dev.spotbatch.drain;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The drain's decision, as a pure function of the time, the deadline and each item's progress: an
 * item that has processed nothing is handed back; one whose expected remaining time (remaining
 * bytes / bytes per record so far / measured records per second) fits before {@code deadline -
 * margin} finishes; any other is checkpointed. Called again as time passes, so an item whose rate
 * drops is checkpointed while there is still time.
 */
public final class DrainPlanner {
  private final Duration margin;

  /**
   * The progress of one item as the planner sees it.
   *
   * @param itemId the item
   * @param recordsDone records processed so far (good and bad)
   * @param start the lease's range start
   * @param position the offset of the next unread record
   * @param end the lease's range end
   * @param recordsPerSecond the measured rate
   */
  public record ItemState(
      String itemId,
      long recordsDone,
      long start,
      long position,
      long end,
      double recordsPerSecond) {
    public ItemState {
      Objects.requireNonNull(itemId, "itemId");
      if (recordsDone < 0 || start < 0 || position < start || end < position) {
        throw new IllegalArgumentException(
            "inconsistent progress "
                + recordsDone
                + " records, "
                + start
                + " <= "
                + position
                + " <= "
                + end);
      }
    }

    /** Records still to do, estimated from the bytes per record so far; -1 if unknown. */
    public double estimatedRemainingRecords() {
      long bytesDone = position - start;
      if (recordsDone == 0 || bytesDone <= 0) {
        return -1;
      }
      return (end - position) / ((double) bytesDone / recordsDone);
    }

    /** Expected time to finish at the measured rate; null if it cannot be estimated. */
    public Duration expectedRemaining() {
      double records = estimatedRemainingRecords();
      if (records < 0 || recordsPerSecond <= 0 || Double.isNaN(recordsPerSecond)) {
        return null;
      }
      double seconds = records / recordsPerSecond;
      if (seconds > Long.MAX_VALUE / 1_000_000_000.0) {
        return null;
      }
      return Duration.ofNanos((long) Math.ceil(seconds * 1e9));
    }
  }

  public DrainPlanner(Duration margin) {
    Objects.requireNonNull(margin, "margin");
    if (margin.isNegative()) {
      throw new IllegalArgumentException("margin must be >= 0");
    }
    this.margin = margin;
  }

  public Duration margin() {
    return margin;
  }

  /** The last moment work may end: {@code deadline - margin}. */
  public Instant cutoff(Instant deadline) {
    return deadline.minus(margin);
  }

  /** The decision for one item at {@code now}. */
  public DrainDecision decide(Instant now, Instant deadline, ItemState item) {
    if (item.recordsDone() == 0) {
      return DrainDecision.HAND_BACK;
    }
    if (item.position() >= item.end()) {
      return DrainDecision.FINISH; // every record read: only the commit is left
    }
    Duration left = item.expectedRemaining();
    if (left == null) {
      return DrainDecision.CHECKPOINT;
    }
    return now.plus(left).isAfter(cutoff(deadline))
        ? DrainDecision.CHECKPOINT
        : DrainDecision.FINISH;
  }

  /** Decisions for every item, by item id, in the given order. */
  public Map<String, DrainDecision> plan(Instant now, Instant deadline, List<ItemState> items) {
    Map<String, DrainDecision> out = new LinkedHashMap<>();
    for (ItemState item : items) {
      out.put(item.itemId(), decide(now, deadline, item));
    }
    return out;
  }
}
