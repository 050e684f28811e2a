package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.job.FailureRow;
import java.time.Instant;

/** One failed attempt, as {@code GET /api/v1/jobs/{id}/failures} lists it. */
public record FailureResponse(
    String itemId, String reason, int attempts, boolean terminal, String workerId, Instant at) {
  static FailureResponse of(FailureRow f) {
    return new FailureResponse(
        f.itemId(), f.reason(), f.failures(), f.terminal(), f.workerId(), f.at());
  }
}
