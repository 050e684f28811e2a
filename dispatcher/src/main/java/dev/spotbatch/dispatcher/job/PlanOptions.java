package dev.spotbatch.dispatcher.job;

/**
 * How the planner pipelines a plan into the store and onto the queue ({@link JobPlanner}).
 *
 * @param chunkItems items per chunk: one transaction stores a chunk, one {@code send} puts it on
 *     the queue
 * @param chunksAhead stored chunks that may wait for a sender before the listing pauses: with the
 *     chunks being sent, this bounds the items the planner holds
 * @param senders chunks sent at once; more than one keeps the queue adapter's own send lanes busy
 *     across the end of a chunk (a chunk's last calls would otherwise leave lanes idle)
 */
public record PlanOptions(int chunkItems, int chunksAhead, int senders) {
  /** 500-item chunks, 4 waiting, 2 being sent: at most 3,500 items held per planning job. */
  public static final PlanOptions DEFAULTS = new PlanOptions(500, 4, 2);

  public PlanOptions {
    if (chunkItems < 1 || chunkItems > 10_000) {
      throw new IllegalArgumentException(
          "chunkItems must be between 1 and 10000, was " + chunkItems);
    }
    if (chunksAhead < 0 || chunksAhead > 64) {
      throw new IllegalArgumentException(
          "chunksAhead must be between 0 and 64, was " + chunksAhead);
    }
    if (senders < 1 || senders > 16) {
      throw new IllegalArgumentException("senders must be between 1 and 16, was " + senders);
    }
  }

  /** The most items a planning job holds at once: chunks waiting, being sent, and being built. */
  public int maxItemsHeld() {
    return (chunksAhead + senders + 1) * chunkItems;
  }
}
