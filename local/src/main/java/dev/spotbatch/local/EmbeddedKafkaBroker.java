package dev.spotbatch.local;

import dev.spotbatch.dispatcher.config.EmbeddedQueueServer;
import dev.spotbatch.localcloud.LocalKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process Kafka broker of the local profile ({@link LocalKafkaBroker}, single-node KRaft)
 * with its logs in one directory, so that queued work survives a restart of the dispatcher. A
 * directory the broker cannot start on is moved aside and the broker starts empty (when Kafka's
 * test kit fails before the broker starts, it has deleted the directory itself).
 */
public final class EmbeddedKafkaBroker implements EmbeddedQueueServer, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

  private final LocalKafkaBroker broker;
  private final Path directory;
  private final boolean restartedEmpty;

  private EmbeddedKafkaBroker(LocalKafkaBroker broker, Path directory, boolean restartedEmpty) {
    this.broker = broker;
    this.directory = directory;
    this.restartedEmpty = restartedEmpty;
  }

  /** Starts the broker on {@code directory} (created if missing). */
  public static EmbeddedKafkaBroker start(Path directory, Clock clock) {
    try {
      Files.createDirectories(directory);
      try {
        return new EmbeddedKafkaBroker(
            LocalKafkaBroker.start(directory, Map.of()), directory, false);
      } catch (IllegalStateException e) {
        Path aside =
            directory.resolveSibling(
                directory.getFileName()
                    + ".unusable-"
                    + STAMP.format(
                        clock.instant().truncatedTo(ChronoUnit.SECONDS).atZone(clock.getZone())));
        String fate;
        if (Files.exists(directory)) {
          Files.move(directory, aside);
          fate = "moved it to " + aside;
        } else {
          fate =
              "Kafka's test kit removed it"; // it deletes its base directory when it fails to build
        }
        log.warn(
            "the embedded Kafka broker cannot start on {} ({}); {}; starting an empty broker: items"
                + " queued before are lost (retry or resubmit their jobs)",
            directory,
            e.getMessage(),
            fate);
        Files.createDirectories(directory);
        return new EmbeddedKafkaBroker(
            LocalKafkaBroker.start(directory, Map.of()), directory, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the embedded Kafka broker's directory", e);
    }
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The bootstrap servers. */
  @Override
  public String address() {
    return bootstrapServers();
  }

  public Path directory() {
    return directory;
  }

  /** True when the directory could not be used and the broker started empty. */
  public boolean restartedEmpty() {
    return restartedEmpty;
  }

  /** Stops the broker; never throws. */
  @Override
  public void close() {
    broker.close();
  }
}
