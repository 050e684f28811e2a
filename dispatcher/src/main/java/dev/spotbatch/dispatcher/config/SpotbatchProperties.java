package dev.spotbatch.dispatcher.config;

import dev.spotbatch.boot.QueueProperties;
import dev.spotbatch.model.Lifecycle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every {@code spotbatch.*} setting of the dispatcher, with its default. The embedded default's
 * settings ({@code spotbatch.embedded.*}, {@code spotbatch.fleet.local.*}) live in spotbatch-local.
 */
@ConfigurationProperties("spotbatch")
public record SpotbatchProperties(
    @DefaultValue("./.spotbatch") Path dataDir,
    @DefaultValue({"all-minilm-l6-v2", "all-minilm-l6-v2-q"}) List<String> models,
    @DefaultValue Storage storage,
    @DefaultValue QueueProperties queue,
    @DefaultValue Planner planner,
    @DefaultValue Events events,
    @DefaultValue Cost cost) {

  /** The data directory, absolute. */
  public Path dataPath() {
    return dataDir.toAbsolutePath().normalize();
  }

  /** The data directory as a {@code file://} prefix. */
  public String dataUri() {
    String p = dataPath().toString();
    return "file://" + (p.endsWith("/") ? p : p + "/");
  }

  /** Allowed roots; empty means the data directory. */
  public List<String> allowedRoots() {
    return storage.allowedRoots().isEmpty() ? List.of(dataUri()) : storage.allowedRoots();
  }

  /** Staging location; empty means {@code <data-dir>/staging/}. */
  public String stagingUri() {
    return storage.stagingUri() == null || storage.stagingUri().isBlank()
        ? dataUri() + "staging/"
        : storage.stagingUri();
  }

  /**
   * @param allowedRoots URI prefixes jobs may read and write ({@code s3://} or {@code file://})
   * @param stagingUri where inline records are written
   */
  public record Storage(List<String> allowedRoots, String stagingUri) {
    public Storage {
      allowedRoots = allowedRoots == null ? List.of() : List.copyOf(allowedRoots);
    }
  }

  /**
   * @param threads planning threads
   * @param backlog jobs that may wait for a planning thread before submissions fail
   */
  public record Planner(@DefaultValue("2") int threads, @DefaultValue("100") int backlog) {}

  /**
   * @param batchSize events received per poll and applied in one transaction (on SQS, several
   *     receive calls of 10); a batch costs about as many statements as a single event
   * @param pollWait long-poll wait
   * @param backoffInitial first wait after an error
   * @param backoffMax longest wait after repeated errors
   */
  public record Events(
      @DefaultValue("100") int batchSize,
      @DefaultValue("1s") Duration pollWait,
      @DefaultValue("200ms") Duration backoffInitial,
      @DefaultValue("30s") Duration backoffMax) {}

  /**
   * @param prices $/hour by provider, instance type and lifecycle (and region, when given): each
   *     replaces the default book's price of that machine (docs/PRICES.md)
   * @param spotRefresh refreshing spot prices from the provider's price history
   * @param telemetryRefresh how long the cost window behind the interruption rates and the cost
   *     gauges is reused before it is read again (each read sums the whole window in the database);
   *     0: read on every use
   */
  public record Cost(
      List<PriceEntry> prices,
      @DefaultValue SpotRefresh spotRefresh,
      @DefaultValue("30s") Duration telemetryRefresh) {
    public Cost {
      prices = prices == null ? List.of() : List.copyOf(prices);
      spotRefresh =
          spotRefresh == null ? new SpotRefresh(null, null, null, null, null) : spotRefresh;
      telemetryRefresh = telemetryRefresh == null ? Duration.ofSeconds(30) : telemetryRefresh;
      if (telemetryRefresh.isNegative()) {
        throw new IllegalArgumentException(
            "spotbatch.cost.telemetry-refresh must be 0 or more, was " + telemetryRefresh);
      }
    }

    /**
     * @param region empty: every region
     */
    public record PriceEntry(
        String provider,
        String region,
        String instanceType,
        Lifecycle lifecycle,
        double usdPerHour) {}

    /** Where spot prices are refreshed from. */
    public enum RefreshMode {
      /** Keep the book's prices. */
      OFF,
      /** EC2 {@code DescribeSpotPriceHistory} in each region, for every AWS type the book has. */
      AWS
    }

    /**
     * @param mode {@code OFF} (the default) or {@code AWS}
     * @param regions the regions to read
     * @param interval how often
     * @param endpoint an EC2 endpoint override (tests, VPC endpoints); null: the region's own
     * @param lookback how far back the price history is read (default 7 days: the slack policy's
     *     hour-of-week forecast needs a price for every hour of the week; EC2 keeps 90 days)
     */
    public record SpotRefresh(
        RefreshMode mode,
        List<String> regions,
        Duration interval,
        java.net.URI endpoint,
        Duration lookback) {
      public SpotRefresh {
        mode = mode == null ? RefreshMode.OFF : mode;
        regions =
            regions == null || regions.isEmpty() ? List.of("us-east-1") : List.copyOf(regions);
        interval = interval == null ? Duration.ofHours(1) : interval;
        lookback = lookback == null ? Duration.ofDays(7) : lookback;
        if (interval.compareTo(Duration.ofMinutes(1)) < 0) {
          throw new IllegalArgumentException(
              "spotbatch.cost.spot-refresh.interval must be at least 1m, was " + interval);
        }
        if (lookback.compareTo(Duration.ofHours(1)) < 0 || lookback.toDays() > 90) {
          throw new IllegalArgumentException(
              "spotbatch.cost.spot-refresh.lookback must be 1h..90d (EC2 keeps 90 days), was "
                  + lookback);
        }
      }
    }
  }
}
