package dev.spotbatch.dispatcher.fleet.scaling;

/**
 * What our own fleet measured of a pool; each value null while not measured (the autoscaler then
 * uses the fallbacks in {@link ScalingSettings}).
 *
 * @param recordsPerSecondPerWorker the throughput of one worker of this pool
 * @param interruptionsPerHour interruptions per worker-hour
 * @param reworkFraction the share of processed records that were processed again (hand-backs,
 *     checkpoint overlap, lost leases), 0..1
 */
public record PoolMeasurements(
    Double recordsPerSecondPerWorker, Double interruptionsPerHour, Double reworkFraction) {
  /** Nothing measured yet. */
  public static final PoolMeasurements NONE = new PoolMeasurements(null, null, null);

  public PoolMeasurements {
    if (recordsPerSecondPerWorker != null && !(recordsPerSecondPerWorker > 0)) {
      throw new IllegalArgumentException("recordsPerSecondPerWorker must be > 0");
    }
    if (interruptionsPerHour != null && !(interruptionsPerHour >= 0)) {
      throw new IllegalArgumentException("interruptionsPerHour must be >= 0");
    }
    if (reworkFraction != null && !(reworkFraction >= 0 && reworkFraction <= 1)) {
      throw new IllegalArgumentException("reworkFraction must be within 0..1");
    }
  }
}
