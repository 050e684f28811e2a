package dev.spotbatch.dispatcher.sim;

import java.time.Instant;

/**
 * A work item of the simulated job: the records {@code [start, end)}; a checkpoint's continuation
 * is a new item over the rest of the range.
 */
record SimItem(String id, long start, long end, Instant enqueuedAt) {
  long records() {
    return end - start;
  }
}
