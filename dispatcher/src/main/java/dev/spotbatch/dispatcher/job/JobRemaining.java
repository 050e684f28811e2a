package dev.spotbatch.dispatcher.job;

import java.time.Instant;

/**
 * What an unfinished job still has to do, for the autoscaler and the job's ETA.
 *
 * @param remainingItems items neither succeeded nor failed for good
 * @param remainingRecords records not yet processed: estimated from the input bytes left and the
 *     records per byte measured so far (this job's parts, else every job's, else an assumption)
 * @param processedRecords records in the job's committed parts (results and record errors)
 */
public record JobRemaining(
    String jobId,
    Instant deadline,
    int priority,
    long remainingItems,
    long remainingRecords,
    long processedRecords) {}
