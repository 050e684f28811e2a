package dev.spotbatch.dispatcher.fleet;

import java.time.Instant;

/**
 * One ended process of a worker slot (the bounded history of {@code GET /api/v1/fleet}).
 *
 * @param interruption what ended it (null: it exited on its own or was stopped)
 * @param exitedBeforeDeadline for interruptions with a deadline: whether the process exited on its
 *     own before it (false when the fleet had to kill it); null otherwise
 * @param killedAtDeadline the fleet killed the process at the deadline
 */
public record PastInstance(
    String instanceId,
    int generation,
    Long pid,
    Instant startedAt,
    Instant exitedAt,
    Integer exitCode,
    Interruption interruption,
    Boolean exitedBeforeDeadline,
    boolean killedAtDeadline) {}
