package dev.spotbatch.dispatcher.config;

import dev.spotbatch.dispatcher.cost.CostCalculator;
import dev.spotbatch.dispatcher.cost.CostReport;
import dev.spotbatch.dispatcher.cost.CostStore;
import dev.spotbatch.dispatcher.cost.HistoryBasis;
import dev.spotbatch.dispatcher.cost.MachineLedger;
import dev.spotbatch.dispatcher.cost.Price;
import dev.spotbatch.dispatcher.cost.PriceAlertRule;
import dev.spotbatch.dispatcher.cost.PriceAlerts;
import dev.spotbatch.dispatcher.cost.PriceBook;
import dev.spotbatch.dispatcher.cost.SimulatedSpotHistory;
import dev.spotbatch.dispatcher.cost.SpotPriceHistory;
import dev.spotbatch.dispatcher.cost.SpotPriceRefresher;
import dev.spotbatch.dispatcher.cost.WatchedMachine;
import dev.spotbatch.dispatcher.cost.aws.Ec2Clients;
import dev.spotbatch.dispatcher.cost.aws.Ec2SpotPriceSource;
import dev.spotbatch.dispatcher.fleet.CapacityProvider;
import dev.spotbatch.dispatcher.fleet.FleetSightings;
import dev.spotbatch.dispatcher.fleet.InterruptionTelemetry;
import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.dispatcher.job.JobStore;
import dev.spotbatch.dispatcher.metrics.CostMetrics;
import dev.spotbatch.dispatcher.metrics.PriceAlertMetrics;
import dev.spotbatch.model.Lifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Cost wiring: the price book (sourced defaults, configured prices on top, the local fleet priced
 * as {@code spotbatch.fleet.local.instance-type}), machine-time recording, the cost report and
 * interruption telemetry, their metrics, and the AWS spot price refresh when enabled. One
 * background thread ({@code cost-observer}) watches the fleet for machines that vanish and keeps
 * the gauges current.
 */
@Configuration(proxyBeanMethods = false)
public class CostConfig {
  private static final Logger log = LoggerFactory.getLogger(CostConfig.class);

  /** How often the fleet is watched for started and vanished machines. */
  static final Duration SIGHTING_INTERVAL = Duration.ofSeconds(2);

  /** How long after a machine's exit its own WorkerStopped may still arrive. */
  static final Duration STOPPED_GRACE = Duration.ofSeconds(15);

  /** How often the cost gauges are recomputed. */
  static final Duration METRICS_INTERVAL = Duration.ofSeconds(30);

  /** The window interruption rates are measured over, and the least hours that make a rate. */
  static final Duration TELEMETRY_WINDOW = Duration.ofDays(7);

  static final double TELEMETRY_MIN_HOURS = 1.0;

  /** How much simulated history the local fleet gets: two samples of every hour of the week. */
  static final Duration LOCAL_HISTORY = Duration.ofDays(14);

  @Bean
  PriceBook priceBook(
      SpotbatchProperties props,
      @Value("${spotbatch.fleet.local.instance-type:g5.xlarge}") String localType) {
    List<Price> overrides = new ArrayList<>();
    for (SpotbatchProperties.Cost.PriceEntry p : props.cost().prices()) {
      overrides.add(
          new Price(
              p.provider(),
              p.region(),
              p.instanceType(),
              p.lifecycle(),
              p.usdPerHour(),
              null,
              "configuration (spotbatch.cost.prices)",
              null));
    }
    PriceBook book =
        PriceBook.defaults(
            overrides, new PriceBook.LocalPricing(localType, PriceBook.DEFAULT_REGION));
    log.info(
        "price book: {} prices, {} configured; the local fleet is priced as {} {} (simulated)",
        book.entries().size(),
        overrides.size(),
        book.localPricing().instanceType(),
        book.localPricing().region());
    return book;
  }

  /**
   * The spot price history the slack policy forecasts from, in memory (the refresher reads the
   * whole lookback from EC2 each time, so nothing is lost on a restart). It starts with the local
   * fleet's simulated week ({@link SimulatedSpotHistory}, labelled simulated): the embedded default
   * runs the same slack path as AWS.
   */
  @Bean
  SpotPriceHistory spotPriceHistory(PriceBook book, Clock clock) {
    SpotPriceHistory history = new SpotPriceHistory();
    String type = book.localPricing().instanceType();
    double weekday = book.quote(PriceBook.LOCAL_PROVIDER, null, type, Lifecycle.SPOT).usdPerHour();
    Instant now = clock.instant();
    history.replace(
        PriceBook.LOCAL_PROVIDER,
        SpotPriceHistory.LOCAL_REGION,
        type,
        HistoryBasis.SIMULATED,
        SimulatedSpotHistory.week(
            type, weekday, SimulatedSpotHistory.OFF_PEAK_DISCOUNT, now.minus(LOCAL_HISTORY), now));
    log.info(
        "spot price history: the local fleet's {} has a simulated week (${}/h weekdays by day,"
            + " {}% less at night and on weekends)",
        type, weekday, Math.round(SimulatedSpotHistory.OFF_PEAK_DISCOUNT * 100));
    return history;
  }

  /**
   * Spot price alerts over the fleet's spot pools and the machines a rule names, checked with the
   * cost gauges ({@code cost-observer}) and on each {@code GET /api/v1/cost/alerts}.
   */
  @Bean
  PriceAlerts priceAlerts(
      PriceAlertProperties props,
      PriceBook book,
      ObjectProvider<CapacityProvider> capacity,
      PriceAlertMetrics metrics,
      Clock clock) {
    List<PriceAlertRule> rules = props.rulesInForce();
    log.info(
        "spot price alerts: {}",
        rules.isEmpty() ? "off" : rules.stream().map(PriceAlertRule::describe).toList());
    return new PriceAlerts(
        rules, () -> watched(rules, book, capacity.getIfAvailable()), clock, metrics::record);
  }

  /** The fleet's spot pools, then every spot price of the book a rule names by instance type. */
  static List<WatchedMachine> watched(
      List<PriceAlertRule> rules, PriceBook book, CapacityProvider capacity) {
    List<WatchedMachine> out = new ArrayList<>();
    if (capacity != null) {
      for (Pool p : capacity.pools()) {
        if (p.lifecycle() != Lifecycle.SPOT || p.instanceType() == null) {
          continue;
        }
        String region =
            PriceBook.isLocal(p.provider(), p.zone())
                ? p.zone()
                : SpotPriceHistory.regionOf(p.zone());
        out.add(
            new WatchedMachine(
                p.name(),
                p.provider(),
                region,
                p.instanceType(),
                book.quote(p.provider(), region, p.instanceType(), Lifecycle.SPOT),
                book.quote(p.provider(), region, p.instanceType(), Lifecycle.ON_DEMAND)));
      }
    }
    for (Price e : book.entries()) {
      if (e.lifecycle() == Lifecycle.SPOT
          && rules.stream()
              .anyMatch(
                  r ->
                      r.namesInstanceType()
                          && r.matches(e.provider(), e.region(), e.instanceType()))) {
        out.add(
            new WatchedMachine(
                e.provider() + "/" + e.region() + "/" + e.instanceType(),
                e.provider(),
                e.region(),
                e.instanceType(),
                book.quote(e.provider(), e.region(), e.instanceType(), Lifecycle.SPOT),
                book.quote(e.provider(), e.region(), e.instanceType(), Lifecycle.ON_DEMAND)));
      }
    }
    return out;
  }

  @Bean
  PriceAlertMetrics priceAlertMetrics(MeterRegistry meters) {
    return new PriceAlertMetrics(meters);
  }

  @Bean
  CostCalculator costCalculator(PriceBook prices) {
    return new CostCalculator(prices);
  }

  @Bean
  CostStore costStore(DataSource dataSource) {
    return new CostStore(dataSource);
  }

  @Bean
  MachineLedger machineLedger(CostStore costs, JobStore jobs) {
    return new MachineLedger(costs, jobs);
  }

  @Bean
  CostReport costReport(CostStore costs, PriceBook prices) {
    return new CostReport(costs, prices);
  }

  @Bean
  InterruptionTelemetry interruptionTelemetry(
      CostReport report, Clock clock, SpotbatchProperties props) {
    return new InterruptionTelemetry(
        report, clock, TELEMETRY_WINDOW, props.cost().telemetryRefresh(), TELEMETRY_MIN_HOURS);
  }

  @Bean
  CostMetrics costMetrics(MeterRegistry meters, InterruptionTelemetry telemetry) {
    return new CostMetrics(meters, telemetry::pools);
  }

  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService costObserver(
      MachineLedger ledger,
      CostStore costs,
      Clock clock,
      ObjectProvider<CapacityProvider> capacity,
      CostMetrics metrics,
      PriceAlerts alerts) {
    ScheduledExecutorService ex =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cost-observer");
              t.setDaemon(true);
              return t;
            });
    FleetSightings sightings = new FleetSightings(ledger, costs, clock, STOPPED_GRACE);
    ex.scheduleWithFixedDelay(
        () -> {
          try {
            CapacityProvider c = capacity.getIfAvailable();
            if (c != null) {
              sightings.observe(c.workers());
            }
          } catch (RuntimeException e) {
            log.warn(
                "fleet sighting failed; next round in {}: {}", SIGHTING_INTERVAL, e.toString());
          }
        },
        SIGHTING_INTERVAL.toMillis(),
        SIGHTING_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    ex.scheduleWithFixedDelay(
        metrics::update, 1_000, METRICS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    ex.scheduleWithFixedDelay(
        () -> {
          try {
            alerts.check();
          } catch (RuntimeException e) {
            log.warn(
                "spot price alert check failed; next round in {}: {}",
                METRICS_INTERVAL,
                e.toString());
          }
        },
        1_000,
        METRICS_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    return ex;
  }

  /** The spot price refresh, when {@code spotbatch.cost.spot-refresh.mode=AWS}. */
  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService spotPriceRefresh(
      SpotbatchProperties props, PriceBook book, SpotPriceHistory history, Clock clock) {
    ScheduledExecutorService ex =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "spot-price-refresh");
              t.setDaemon(true);
              return t;
            });
    SpotbatchProperties.Cost.SpotRefresh s = props.cost().spotRefresh();
    switch (s.mode()) {
      case OFF -> log.info("spot prices are not refreshed (spotbatch.cost.spot-refresh.mode=OFF)");
      case AWS -> {
        Ec2SpotPriceSource source =
            new Ec2SpotPriceSource(
                region ->
                    Ec2Clients.create(
                        region, DefaultCredentialsProvider.builder().build(), s.endpoint()));
        SpotPriceRefresher refresher =
            new SpotPriceRefresher(book, history, source, s.regions(), s.lookback(), clock);
        ex.scheduleWithFixedDelay(
            refresher::refresh, 0, s.interval().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    return ex;
  }
}
