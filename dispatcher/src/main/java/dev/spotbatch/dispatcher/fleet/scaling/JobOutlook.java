package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Instant;

/**
 * Whether the planned capacity finishes a job in time.
 *
 * @param requiredRecordsPerSecond the throughput the job needs (infinite when its deadline has
 *     passed or falls inside the margin)
 * @param onTrack true when the plan covers it (deadlines are served by priority, then deadline);
 *     null for a job without a deadline
 * @param deferredUntil when a job the slack policy holds back for cheaper hours starts to run (the
 *     first of its chosen hours); null when it is not held back
 * @param deferral why it waits, in words (the expected prices); null when it does not
 */
public record JobOutlook(
    String jobId,
    Instant deadline,
    int priority,
    double requiredRecordsPerSecond,
    Boolean onTrack,
    Instant deferredUntil,
    String deferral) {}
