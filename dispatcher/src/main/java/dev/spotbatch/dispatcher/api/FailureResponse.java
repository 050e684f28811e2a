package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.job.FailureRow;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One failed attempt, as {@code GET /api/v1/jobs/{id}/failures} lists it. */
@Schema(name = "Failure")
public record FailureResponse(
    String itemId,
    @Schema(example = "input unreadable: file:///data/docs.jsonl does not exist") String reason,
    @Schema(description = "failed attempts so far") int attempts,
    @Schema(description = "true when it used up the item's attempts") boolean terminal,
    @Schema(nullable = true) String workerId,
    Instant at) {
  static FailureResponse of(FailureRow f) {
    return new FailureResponse(
        f.itemId(), f.reason(), f.failures(), f.terminal(), f.workerId(), f.at());
  }
}
