package dev.spotbatch.dispatcher.job;

import java.util.OptionalDouble;

/**
 * Estimates the bytes per record of a job's input before any of its parts is committed, so the
 * first sizing of a job does not rest on a fixed guess.
 */
@FunctionalInterface
public interface RecordSampler {
  /** No estimate: the backlog falls back to other jobs' measured ratio, then to its assumption. */
  RecordSampler NONE = uri -> OptionalDouble.empty();

  /** The bytes per record of the JSONL object at {@code objectUri}; empty when not known. */
  OptionalDouble bytesPerRecord(String objectUri);
}
