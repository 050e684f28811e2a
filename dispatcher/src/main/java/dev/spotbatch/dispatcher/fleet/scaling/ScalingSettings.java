package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Duration;
import java.util.Objects;

/**
 * The autoscaler's settings, validated once. Build with {@link #builder()}; every setting has a
 * default.
 *
 * @param minWorkers the fewest working workers, over all pools
 * @param maxWorkers the most working workers, over all pools (workers being replaced after a notice
 *     come on top while they drain)
 * @param onDemandBase the first this many workers of any fleet are on-demand; spot above
 * @param maxPoolShare the largest share of the spot workers one pool gets while other usable spot
 *     pools have room, so one pool's loss is bounded (1 = no spreading)
 * @param undatedDrainTarget jobs without a deadline are sized to drain within this time
 * @param deadlineMargin a job with a deadline is sized to finish this long before it
 * @param throughputHeadroom required throughput is multiplied by this (>= 1) for measurement noise
 * @param blockTtl a pool whose launch failed gets no new workers for this long
 * @param scaleInStabilization scale-in goes only as low as the highest need seen over this window
 * @param scaleInCooldown no scale-in of a pool sooner than this after its last change
 * @param maxPendingAge when the oldest waiting item waited longer, one more worker is added per
 *     tick (the measured rates are then not to be trusted)
 * @param maxSpotInterruptionsPerHour a spot pool above this rate (per worker-hour) gets no new
 *     workers; deadlines fall back to on-demand
 * @param assumedSpotInterruptionsPerHour the spot interruption rate used before any is measured
 * @param reworkPerInterruption the work one interruption costs (the replacement's boot plus records
 *     done again), used for the expected rework until rework is measured
 * @param assumedRecordsPerSecondPerWorker the throughput used before any is measured
 * @param incidentWindow how far back interruptions count when a pool's rate is not measured
 * @param interruptionPriorHours how many worker-hours of the assumed rate an estimate from recent
 *     interruptions starts from, so one early notice in a small pool does not condemn it
 * @param decisionsKept how many decisions are kept for the API
 * @param fallback which work may use on-demand beyond the base when spot falls short
 */
public record ScalingSettings(
    int minWorkers,
    int maxWorkers,
    int onDemandBase,
    double maxPoolShare,
    Duration undatedDrainTarget,
    Duration deadlineMargin,
    double throughputHeadroom,
    Duration blockTtl,
    Duration scaleInStabilization,
    Duration scaleInCooldown,
    Duration maxPendingAge,
    double maxSpotInterruptionsPerHour,
    double assumedSpotInterruptionsPerHour,
    Duration reworkPerInterruption,
    double assumedRecordsPerSecondPerWorker,
    Duration incidentWindow,
    double interruptionPriorHours,
    int decisionsKept,
    FallbackScope fallback) {

  public ScalingSettings {
    require(minWorkers >= 0, "minWorkers must be >= 0");
    require(maxWorkers >= minWorkers, "maxWorkers must be >= minWorkers");
    require(onDemandBase >= 0 && onDemandBase <= maxWorkers, "onDemandBase must be 0..maxWorkers");
    require(maxPoolShare > 0 && maxPoolShare <= 1, "maxPoolShare must be within (0, 1]");
    require(positive(undatedDrainTarget), "undatedDrainTarget must be > 0");
    require(notNegative(deadlineMargin), "deadlineMargin must be >= 0");
    require(throughputHeadroom >= 1 && throughputHeadroom < 100, "throughputHeadroom must be >= 1");
    require(positive(blockTtl), "blockTtl must be > 0");
    require(notNegative(scaleInStabilization), "scaleInStabilization must be >= 0");
    require(notNegative(scaleInCooldown), "scaleInCooldown must be >= 0");
    require(positive(maxPendingAge), "maxPendingAge must be > 0");
    require(maxSpotInterruptionsPerHour > 0, "maxSpotInterruptionsPerHour must be > 0");
    require(assumedSpotInterruptionsPerHour >= 0, "assumedSpotInterruptionsPerHour must be >= 0");
    require(notNegative(reworkPerInterruption), "reworkPerInterruption must be >= 0");
    require(
        assumedRecordsPerSecondPerWorker > 0 && Double.isFinite(assumedRecordsPerSecondPerWorker),
        "assumedRecordsPerSecondPerWorker must be > 0");
    require(positive(incidentWindow), "incidentWindow must be > 0");
    require(interruptionPriorHours >= 0, "interruptionPriorHours must be >= 0");
    require(decisionsKept >= 1, "decisionsKept must be >= 1");
    Objects.requireNonNull(fallback, "fallback");
  }

  /** The defaults. */
  public static ScalingSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static boolean notNegative(Duration d) {
    return d != null && !d.isNegative();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("autoscaler: " + message);
    }
  }

  /** Builds {@link ScalingSettings}; {@link #build()} validates. */
  public static final class Builder {
    private int minWorkers = 0;
    private int maxWorkers = 10;
    private int onDemandBase = 0;
    private double maxPoolShare = 0.5;
    private Duration undatedDrainTarget = Duration.ofMinutes(15);
    private Duration deadlineMargin = Duration.ofMinutes(5);
    private double throughputHeadroom = 1.1;
    private Duration blockTtl = Duration.ofMinutes(3);
    private Duration scaleInStabilization = Duration.ofMinutes(5);
    private Duration scaleInCooldown = Duration.ofMinutes(2);
    private Duration maxPendingAge = Duration.ofMinutes(10);
    private double maxSpotInterruptionsPerHour = 0.25;
    private double assumedSpotInterruptionsPerHour = 0.05;
    private Duration reworkPerInterruption = Duration.ofMinutes(3);
    private double assumedRecordsPerSecondPerWorker = 100;
    private Duration incidentWindow = Duration.ofHours(1);
    private double interruptionPriorHours = 10;
    private int decisionsKept = 500;
    private FallbackScope fallback = FallbackScope.DEADLINES;

    private Builder() {}

    private Builder(ScalingSettings s) {
      minWorkers = s.minWorkers;
      maxWorkers = s.maxWorkers;
      onDemandBase = s.onDemandBase;
      maxPoolShare = s.maxPoolShare;
      undatedDrainTarget = s.undatedDrainTarget;
      deadlineMargin = s.deadlineMargin;
      throughputHeadroom = s.throughputHeadroom;
      blockTtl = s.blockTtl;
      scaleInStabilization = s.scaleInStabilization;
      scaleInCooldown = s.scaleInCooldown;
      maxPendingAge = s.maxPendingAge;
      maxSpotInterruptionsPerHour = s.maxSpotInterruptionsPerHour;
      assumedSpotInterruptionsPerHour = s.assumedSpotInterruptionsPerHour;
      reworkPerInterruption = s.reworkPerInterruption;
      assumedRecordsPerSecondPerWorker = s.assumedRecordsPerSecondPerWorker;
      incidentWindow = s.incidentWindow;
      interruptionPriorHours = s.interruptionPriorHours;
      decisionsKept = s.decisionsKept;
      fallback = s.fallback;
    }

    public Builder minWorkers(int v) {
      minWorkers = v;
      return this;
    }

    public Builder maxWorkers(int v) {
      maxWorkers = v;
      return this;
    }

    public Builder onDemandBase(int v) {
      onDemandBase = v;
      return this;
    }

    public Builder maxPoolShare(double v) {
      maxPoolShare = v;
      return this;
    }

    public Builder undatedDrainTarget(Duration v) {
      undatedDrainTarget = v;
      return this;
    }

    public Builder deadlineMargin(Duration v) {
      deadlineMargin = v;
      return this;
    }

    public Builder throughputHeadroom(double v) {
      throughputHeadroom = v;
      return this;
    }

    public Builder blockTtl(Duration v) {
      blockTtl = v;
      return this;
    }

    public Builder scaleInStabilization(Duration v) {
      scaleInStabilization = v;
      return this;
    }

    public Builder scaleInCooldown(Duration v) {
      scaleInCooldown = v;
      return this;
    }

    public Builder maxPendingAge(Duration v) {
      maxPendingAge = v;
      return this;
    }

    public Builder maxSpotInterruptionsPerHour(double v) {
      maxSpotInterruptionsPerHour = v;
      return this;
    }

    public Builder assumedSpotInterruptionsPerHour(double v) {
      assumedSpotInterruptionsPerHour = v;
      return this;
    }

    public Builder reworkPerInterruption(Duration v) {
      reworkPerInterruption = v;
      return this;
    }

    public Builder assumedRecordsPerSecondPerWorker(double v) {
      assumedRecordsPerSecondPerWorker = v;
      return this;
    }

    public Builder incidentWindow(Duration v) {
      incidentWindow = v;
      return this;
    }

    public Builder interruptionPriorHours(double v) {
      interruptionPriorHours = v;
      return this;
    }

    public Builder decisionsKept(int v) {
      decisionsKept = v;
      return this;
    }

    public Builder fallback(FallbackScope v) {
      fallback = v;
      return this;
    }

    public ScalingSettings build() {
      return new ScalingSettings(
          minWorkers,
          maxWorkers,
          onDemandBase,
          maxPoolShare,
          undatedDrainTarget,
          deadlineMargin,
          throughputHeadroom,
          blockTtl,
          scaleInStabilization,
          scaleInCooldown,
          maxPendingAge,
          maxSpotInterruptionsPerHour,
          assumedSpotInterruptionsPerHour,
          reworkPerInterruption,
          assumedRecordsPerSecondPerWorker,
          incidentWindow,
          interruptionPriorHours,
          decisionsKept,
          fallback);
    }
  }
}
