package dev.spotbatch.dispatcher.job;

import java.util.OptionalDouble;

/** The measured throughput of each job (records per second, recently); the ETA divides by it. */
@FunctionalInterface
public interface JobRates {
  /** Nothing measured. */
  JobRates NONE = jobId -> OptionalDouble.empty();

  /** Records per second the fleet processed recently for {@code jobId}; empty when unknown. */
  OptionalDouble recordsPerSecond(String jobId);
}
