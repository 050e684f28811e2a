package dev.spotbatch.worker.inference;

/**
 * Which queued records a {@link Batcher} puts together in one model batch. A batch is padded to its
 * longest text, so on text of varied length the order decides how much of the model's work is
 * padding.
 */
public enum BatchOrder {
  /** In the order the records arrived, up to the batch size. */
  ARRIVAL,
  /**
   * Records of similar length from every item the worker holds ({@link LengthGroups}); each item
   * reads further ahead ({@link #readAhead}) so that there are more to choose from. Each item's
   * results still come back in its input order.
   */
  LENGTH;

  /** How many batches' worth of records an item submits at once. */
  public int readAhead() {
    return this == LENGTH ? 4 : 1;
  }
}
