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
    @DefaultValue("all-minilm-l6-v2") List<String> models,
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
   * @param batchSize events received per poll (SQS: at most 10)
   * @param pollWait long-poll wait
   * @param backoffInitial first wait after an error
   * @param backoffMax longest wait after repeated errors
   */
  public record Events(
      @DefaultValue("10") int batchSize,
      @DefaultValue("1s") Duration pollWait,
      @DefaultValue("200ms") Duration backoffInitial,
      @DefaultValue("30s") Duration backoffMax) {}

  /**
   * @param prices $/hour by provider, instance type and lifecycle
   */
  public record Cost(List<PriceEntry> prices) {
    public Cost {
      prices = prices == null ? List.of() : List.copyOf(prices);
    }

    public record PriceEntry(
        String provider, String instanceType, Lifecycle lifecycle, double usdPerHour) {}
  }
}
