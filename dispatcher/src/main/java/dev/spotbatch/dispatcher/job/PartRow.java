package dev.spotbatch.dispatcher.job;

import dev.spotbatch.model.ByteRange;

/** A committed output part of a job; {@code path} is relative to the job's output URI. */
public record PartRow(
    String jobId, String path, String itemId, PartKind kind, long records, ByteRange range) {}
