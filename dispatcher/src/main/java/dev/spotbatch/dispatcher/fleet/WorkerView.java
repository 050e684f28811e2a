package dev.spotbatch.dispatcher.fleet;

import java.time.Instant;

/** One worker of a fleet: its id, state, process id (local fleet), start time and restarts. */
public record WorkerView(String id, WorkerState state, Long pid, Instant startedAt, int restarts) {}
