package dev.spotbatch.event;

/**
 * Why an item failed: a fault of the item alone, or one that every item of its job shares, which
 * ends the job at the first item that meets it.
 */
public enum FailureCause {
  /** The item's input or its run failed; retried until its failures are used up. */
  ITEM,
  /**
   * The job's model or task chain cannot run (a missing or changed file, inputs the model does not
   * take, a tokenizer that does not fit, a chain the model cannot do): every item would fail the
   * same way, so the dispatcher fails the job and its unfinished items at once.
   */
  MODEL_UNUSABLE;

  /** True when this failure ends the whole job, not only the item. */
  public boolean endsJob() {
    return switch (this) {
      case ITEM -> false;
      case MODEL_UNUSABLE -> true;
    };
  }
}
