package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of one pool's desired capacity.
 *
 * @param from the desired capacity before
 * @param to the desired capacity after
 * @param cause the kind of change, for metrics
 * @param reason why, in words a person can act on
 */
public record Decision(
    Instant at, String pool, int from, int to, DecisionCause cause, String reason) {
  public Decision {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return at + " " + pool + " " + from + " -> " + to + " [" + cause + "] " + reason;
  }
}
