package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.sim.EstimateException;
import dev.spotbatch.dispatcher.sim.EstimateInput;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * The body of {@code POST /api/v1/estimates}: a job to price before running it.
 *
 * @param records how many records
 * @param recordsPerSecondPerWorker one worker's throughput (as measured on a job, or a guess)
 * @param instanceType the machine, e.g. {@code p5.48xlarge}
 * @param region e.g. {@code us-east-1}
 * @param workers the most workers; absent: the scenario's, or enough for the deadline
 * @param deadline when the job must be done; absent: none
 */
@Schema(
    name = "EstimateRequest",
    requiredProperties = {"records", "recordsPerSecondPerWorker", "instanceType", "region"})
public record EstimateRequest(
    @Schema(example = "288000000") Long records,
    @Schema(example = "1000") Double recordsPerSecondPerWorker,
    @Schema(example = "p5.48xlarge") String instanceType,
    @Schema(example = "us-east-1") String region,
    @Schema(example = "8") Integer workers,
    @Schema(example = "2026-12-03T09:00:00Z") Instant deadline) {

  EstimateInput toInput() {
    if (records == null) {
      throw new EstimateException("records", "records is required: how many records the job has");
    }
    if (recordsPerSecondPerWorker == null) {
      throw new EstimateException(
          "recordsPerSecondPerWorker",
          "recordsPerSecondPerWorker is required: one worker's throughput in records/s");
    }
    return new EstimateInput(
        records, recordsPerSecondPerWorker, instanceType, region, workers, deadline);
  }
}
