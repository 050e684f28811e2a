package dev.spotbatch.dispatcher.job;

/**
 * A submission refused because the planner's backlog is full: nothing was stored, and the client
 * should submit again shortly (the API answers {@code 503} with {@code Retry-After}).
 */
public class PlannerBusyException extends RuntimeException {
  public PlannerBusyException(String message) {
    super(message);
  }
}
