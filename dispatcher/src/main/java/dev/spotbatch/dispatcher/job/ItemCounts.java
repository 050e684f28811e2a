package dev.spotbatch.dispatcher.job;

/** How many of a job's items are in each state. */
public record ItemCounts(
    long total, long pending, long running, long succeeded, long failed, long cancelled) {
  public static final ItemCounts NONE = new ItemCounts(0, 0, 0, 0, 0, 0);

  /** Counts of a job with no cancelled item. */
  public ItemCounts(long total, long pending, long running, long succeeded, long failed) {
    this(total, pending, running, succeeded, failed, 0);
  }

  /** True when every item is final (also for a job with no items). */
  public boolean allFinal() {
    return succeeded + failed + cancelled == total;
  }
}
