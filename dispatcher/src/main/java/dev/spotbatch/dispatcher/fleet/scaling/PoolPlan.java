package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Instant;

/**
 * One pool in a plan.
 *
 * @param desired what to ask the provider for: {@code working + leaving}
 * @param working the working workers wanted
 * @param leaving workers present that are leaving (noticed or draining), kept in {@code desired} so
 *     the provider does not remove another one and their replacements launch at once
 * @param blockedUntil until when the pool gets no new workers; null: not blocked
 * @param interruptionsPerHour the interruption rate used (measured, estimated or assumed)
 * @param usdPerMillionRecords the expected cost of a million records in this pool
 */
public record PoolPlan(
    String pool,
    int desired,
    int working,
    int leaving,
    PoolStanding standing,
    Instant blockedUntil,
    double interruptionsPerHour,
    double usdPerMillionRecords) {}
