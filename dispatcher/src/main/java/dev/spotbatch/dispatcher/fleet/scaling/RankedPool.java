package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Instant;

/**
 * A pool with what the autoscaler expects of it.
 *
 * @param recordsPerSecond one worker's throughput (measured or assumed)
 * @param interruptionsPerHour interruptions per worker-hour (measured, estimated or assumed)
 * @param rework the expected share of work done again, 0..{@link PoolRanker#MAX_REWORK}
 * @param usdPerMillionRecords price / (throughput x (1 - rework)), per million records
 * @param working its workers that are not leaving
 * @param leaving its workers that are leaving
 * @param standing whether it may get new workers; {@code why} says why not
 */
record RankedPool(
    PoolSnapshot pool,
    double recordsPerSecond,
    double interruptionsPerHour,
    double rework,
    double usdPerMillionRecords,
    int working,
    int leaving,
    PoolStanding standing,
    Instant blockedUntil,
    String why) {

  String name() {
    return pool.name();
  }

  boolean spot() {
    return pool.spec().spot();
  }

  /** The records/s one worker adds once rework is taken off. */
  double effectiveRate() {
    return recordsPerSecond * (1 - rework);
  }

  /**
   * The most workers this plan may give the pool: its own limit while usable, else no more than it
   * has now working (workers are never stopped because their pool went bad; they are only not
   * added).
   */
  int limit() {
    int own = pool.maxSize() == null ? Integer.MAX_VALUE : pool.maxSize();
    return standing == PoolStanding.USABLE ? own : Math.min(own, working);
  }
}
