package dev.spotbatch.dispatcher.fleet.aws;

/**
 * What became of one call that changes a group. Never an exception: a plan is state, so whatever
 * did not apply is asked for again on the next tick.
 *
 * @param action what was asked ({@code SetDesiredCapacity asg-a 3})
 * @param message what AWS said when it did not apply; empty when it did
 */
public record ApplyResult(String action, Outcome outcome, String message) {

  /** How a call ended. */
  public enum Outcome {
    APPLIED,
    /** {@code ScalingActivityInProgress} or {@code ResourceContention}: try on the next tick. */
    DEFERRED,
    /** {@code ValidationError} and other caller errors: the request itself is wrong. */
    REJECTED,
    /** Throttled past the SDK's retries, unreachable, or a server error. */
    FAILED
  }

  static ApplyResult applied(String action) {
    return new ApplyResult(action, Outcome.APPLIED, "");
  }

  public boolean applied() {
    return outcome == Outcome.APPLIED;
  }
}
