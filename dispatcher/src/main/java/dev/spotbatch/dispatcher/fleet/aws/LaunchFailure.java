package dev.spotbatch.dispatcher.fleet.aws;

import java.time.Instant;

/**
 * A failed launch in a pool's group.
 *
 * @param at when the failed activity started
 * @param message the activity's status message, as AWS wrote it
 */
public record LaunchFailure(
    String pool,
    String groupName,
    String activityId,
    Instant at,
    LaunchFailureKind kind,
    String message) {

  /** The detail the autoscaler shows: {@code INSUFFICIENT_CAPACITY: We currently do not ...}. */
  public String detail() {
    return kind + ": " + message;
  }
}
