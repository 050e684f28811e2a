package dev.spotbatch.model;

/**
 * The two retry budgets of a work item. A code or data failure counts against the job's {@code
 * maxAttempts}; an interruption (spot notice, hand-back, lost worker) does not.
 */
public record Attempts(int failures, int interruptions) {
  public static final Attempts NONE = new Attempts(0, 0);

  public Attempts {
    if (failures < 0 || interruptions < 0) {
      throw new IllegalArgumentException("attempt counts must be >= 0");
    }
  }

  public Attempts afterFailure() {
    return new Attempts(failures + 1, interruptions);
  }

  public Attempts afterInterruption() {
    return new Attempts(failures, interruptions + 1);
  }
}
