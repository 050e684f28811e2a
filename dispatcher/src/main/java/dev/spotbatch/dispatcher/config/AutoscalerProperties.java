package dev.spotbatch.dispatcher.config;

import dev.spotbatch.dispatcher.fleet.scaling.FallbackScope;
import dev.spotbatch.dispatcher.fleet.scaling.ScalingSettings;
import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code spotbatch.autoscaler.*}: the autoscaler, on when {@code enabled=true} or {@code
 * max-workers} is given. Every policy setting left out keeps the default of {@link ScalingSettings}
 * (one place for defaults); see the README's Autoscaler section.
 *
 * @param tick time between the autoscaler's rounds
 * @param idleAfter a worker that held no lease for this long is idle: scale-in may take it
 */
@ConfigurationProperties("spotbatch.autoscaler")
public record AutoscalerProperties(
    @DefaultValue("false") boolean enabled,
    @DefaultValue("10s") Duration tick,
    @DefaultValue("30s") Duration idleAfter,
    Integer minWorkers,
    Integer maxWorkers,
    Integer onDemandBase,
    Double maxPoolShare,
    Duration undatedDrainTarget,
    Duration deadlineMargin,
    Double throughputHeadroom,
    Duration blockTtl,
    Duration scaleInStabilization,
    Duration scaleInCooldown,
    Duration maxPendingAge,
    Double maxSpotInterruptionsPerHour,
    Double assumedSpotInterruptionsPerHour,
    Duration reworkPerInterruption,
    Double assumedRecordsPerSecondPerWorker,
    Duration incidentWindow,
    Double interruptionPriorHours,
    Integer decisionsKept,
    FallbackScope fallback) {

  public AutoscalerProperties {
    if (tick == null || tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("spotbatch.autoscaler.tick must be > 0");
    }
    if (idleAfter == null || idleAfter.isNegative()) {
      throw new IllegalArgumentException("spotbatch.autoscaler.idle-after must be >= 0");
    }
  }

  /**
   * The policy settings, validated by {@link ScalingSettings}; its messages name the setting.
   *
   * @throws IllegalArgumentException for a bad combination (e.g. min above max)
   */
  public ScalingSettings settings() {
    ScalingSettings.Builder b = ScalingSettings.builder();
    set(minWorkers, b::minWorkers);
    set(maxWorkers, b::maxWorkers);
    if (maxWorkers == null && minWorkers != null) {
      b.maxWorkers(Math.max(minWorkers, ScalingSettings.defaults().maxWorkers()));
    }
    set(onDemandBase, b::onDemandBase);
    set(maxPoolShare, b::maxPoolShare);
    set(undatedDrainTarget, b::undatedDrainTarget);
    set(deadlineMargin, b::deadlineMargin);
    set(throughputHeadroom, b::throughputHeadroom);
    set(blockTtl, b::blockTtl);
    set(scaleInStabilization, b::scaleInStabilization);
    set(scaleInCooldown, b::scaleInCooldown);
    set(maxPendingAge, b::maxPendingAge);
    set(maxSpotInterruptionsPerHour, b::maxSpotInterruptionsPerHour);
    set(assumedSpotInterruptionsPerHour, b::assumedSpotInterruptionsPerHour);
    set(reworkPerInterruption, b::reworkPerInterruption);
    set(assumedRecordsPerSecondPerWorker, b::assumedRecordsPerSecondPerWorker);
    set(incidentWindow, b::incidentWindow);
    set(interruptionPriorHours, b::interruptionPriorHours);
    set(decisionsKept, b::decisionsKept);
    set(fallback, b::fallback);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "spotbatch.autoscaler.*: " + e.getMessage().replaceFirst("^autoscaler: ", ""), e);
    }
  }

  private static <T> void set(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
