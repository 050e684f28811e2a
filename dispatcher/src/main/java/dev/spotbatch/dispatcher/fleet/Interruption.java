package dev.spotbatch.dispatcher.fleet;

import java.time.Instant;

/**
 * One interruption of one worker process.
 *
 * @param workerId the worker slot ({@code local-1})
 * @param instanceId the process's instance id ({@code i-local-1-3})
 * @param kind what was done
 * @param requestedAt when
 * @param deadline when the fleet kills the process if it is still alive (null: none)
 */
public record Interruption(
    String workerId,
    String instanceId,
    InterruptKind kind,
    Instant requestedAt,
    Instant deadline) {}
