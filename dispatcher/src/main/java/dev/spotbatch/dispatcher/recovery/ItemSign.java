package dev.spotbatch.dispatcher.recovery;

import java.time.Instant;

/**
 * An unfinished item of a running job and its last sign of life: when it was planned or last
 * changed, its last event (started, checkpointed, failed...) or its last re-send, whichever is
 * latest.
 */
public record ItemSign(String itemId, String jobId, Instant lastSeen) {}
