package dev.spotbatch.dispatcher.config;

import dev.spotbatch.dispatcher.cost.PriceBook;
import dev.spotbatch.dispatcher.cost.SpotPriceHistory;
import dev.spotbatch.dispatcher.fleet.CapacityProvider;
import dev.spotbatch.dispatcher.fleet.InterruptionTelemetry;
import dev.spotbatch.dispatcher.fleet.JobDeferrals;
import dev.spotbatch.dispatcher.fleet.Throughput;
import dev.spotbatch.dispatcher.fleet.autoscale.AutoscalerLoop;
import dev.spotbatch.dispatcher.fleet.autoscale.InterruptionRates;
import dev.spotbatch.dispatcher.fleet.autoscale.PoolPriceForecast;
import dev.spotbatch.dispatcher.fleet.autoscale.PoolPrices;
import dev.spotbatch.dispatcher.fleet.scaling.Autoscaler;
import dev.spotbatch.dispatcher.fleet.scaling.PriceForecast;
import dev.spotbatch.dispatcher.job.JobBacklog;
import dev.spotbatch.queue.WorkSubmitter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.OptionalDouble;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The autoscaler, when {@code spotbatch.autoscaler.enabled=true} or {@code
 * spotbatch.autoscaler.max-workers} is given, over the one {@link CapacityProvider} there is (the
 * local fleet, or AWS Auto Scaling). Without a provider it logs why and does nothing.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(AutoscalerConfig.ENABLED)
public class AutoscalerConfig {
  /** When the autoscaler runs (the local fleet's configuration uses the same condition). */
  public static final String ENABLED =
      "${spotbatch.autoscaler.enabled:false} or '${spotbatch.autoscaler.max-workers:}' != ''";

  /**
   * Interruption rates per pool measured on our own fleet ({@link InterruptionTelemetry}, the cost
   * report's window); a pool with too few machine hours is not measured and the autoscaler uses its
   * estimate from recent notices instead.
   */
  @Bean
  @ConditionalOnMissingBean
  InterruptionRates interruptionRates(ObjectProvider<InterruptionTelemetry> telemetry) {
    InterruptionTelemetry t = telemetry.getIfAvailable();
    if (t == null) {
      return InterruptionRates.NONE;
    }
    return pool -> {
      InterruptionTelemetry.Rate r = t.rate(pool);
      return r.measured() ? OptionalDouble.of(r.perHour()) : OptionalDouble.empty();
    };
  }

  /**
   * Pool prices from the price book (its region is the zone's for local pools, so they are priced
   * as simulated); an unknown machine at 0, which the cost report flags.
   */
  @Bean
  @ConditionalOnMissingBean
  PoolPrices poolPrices(PriceBook book) {
    return pool ->
        book.quote(
                pool.provider(),
                PriceBook.isLocal(pool.provider(), pool.zone()) ? pool.zone() : null,
                pool.instanceType() == null ? "unknown" : pool.instanceType(),
                pool.lifecycle())
            .usdPerHour();
  }

  /**
   * The spot price forecast the slack policy plans with: a pool's expected price by the hour of the
   * week, from the spot price history (refreshed from EC2 on AWS; simulated for the local fleet). A
   * pool without history has no forecast and is expected to keep its price (nothing waits).
   */
  @Bean
  @ConditionalOnMissingBean
  PriceForecast priceForecast(ObjectProvider<CapacityProvider> provider, SpotPriceHistory history) {
    return new PoolPriceForecast(provider::getIfAvailable, history::expected);
  }

  @Bean(destroyMethod = "close")
  AutoscalerLoop autoscalerLoop(
      AutoscalerProperties props,
      AutoscalerSlackProperties slack,
      PriceForecast forecast,
      ObjectProvider<CapacityProvider> provider,
      JobBacklog backlog,
      WorkSubmitter queue,
      Throughput throughput,
      InterruptionRates rates,
      PoolPrices prices,
      Clock clock,
      MeterRegistry meters) {
    CapacityProvider capacity = provider.getIfAvailable();
    if (capacity == null) {
      throw new IllegalStateException(
          "the autoscaler is on (spotbatch.autoscaler.*) but there is no capacity provider: run"
              + " the embedded default (spotbatch-local) or configure the AWS provider");
    }
    return new AutoscalerLoop(
        new Autoscaler(props.settings(), clock, slack.settings(), forecast),
        capacity,
        new AutoscalerLoop.Sources(backlog, queue::stats, throughput, rates, prices),
        clock,
        props.tick(),
        props.idleAfter(),
        meters);
  }

  /** The jobs the last tick held back for cheaper hours, for the job view. */
  @Bean
  JobDeferrals jobDeferrals(AutoscalerLoop loop) {
    return jobId ->
        loop.lastPlan()
            .flatMap(
                p ->
                    p.jobs().stream()
                        .filter(j -> j.jobId().equals(jobId) && j.deferredUntil() != null)
                        .findFirst())
            .map(j -> new JobDeferrals.Deferral(j.deferredUntil(), j.deferral()));
  }

  /** Ticks once the context is up (after the fleet's own supervisor starts). */
  @Bean
  SmartLifecycle autoscalerLifecycle(AutoscalerLoop loop) {
    return new SmartLifecycle() {
      @Override
      public void start() {
        loop.start();
      }

      @Override
      public void stop() {
        loop.close();
      }

      @Override
      public boolean isRunning() {
        return loop.running();
      }

      @Override
      public int getPhase() {
        return Integer.MAX_VALUE - 50;
      }
    };
  }
}
