package dev.spotbatch.dispatcher.sim;

import java.time.Instant;

/**
 * What a cost estimate is asked for, validated by {@link Estimator} (each problem names its field).
 *
 * @param workers the most workers; null: the template scenario's, or enough for the deadline
 * @param deadline when the job must be done; null: none
 */
public record EstimateInput(
    long records,
    double recordsPerSecondPerWorker,
    String instanceType,
    String region,
    Integer workers,
    Instant deadline) {}
