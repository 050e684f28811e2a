package dev.spotbatch.dispatcher.fleet;

import dev.spotbatch.model.Lifecycle;
import java.time.Instant;

/**
 * One pool as {@code GET /api/v1/fleet} shows it: what it is, the workers wanted and present, and
 * what the autoscaler last knew of it.
 *
 * @param desired the workers the provider is asked for (leaving ones included)
 * @param actual the workers it has now (starting, running or draining)
 * @param blockedUntil until when it gets no new workers after a failed launch; null: not blocked
 * @param interruptionsPerHour interruptions per worker-hour the autoscaler uses (measured,
 *     estimated or assumed); null without an autoscaler
 * @param usdPerHour the price of one worker of the pool (0 when the price book does not know it)
 */
public record PoolView(
    String name,
    String provider,
    String instanceType,
    String zone,
    Lifecycle lifecycle,
    int desired,
    int actual,
    Instant blockedUntil,
    Double interruptionsPerHour,
    double usdPerHour) {}
