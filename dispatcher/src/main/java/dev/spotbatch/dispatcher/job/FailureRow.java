package dev.spotbatch.dispatcher.job;

import java.time.Instant;

/** One reported failure of an item attempt; {@code terminal} when it used up the item's budget. */
public record FailureRow(
    String eventId,
    String jobId,
    String itemId,
    String reason,
    int failures,
    boolean terminal,
    String workerId,
    Instant at) {}
