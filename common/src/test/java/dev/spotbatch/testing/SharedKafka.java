package dev.spotbatch.testing;

import dev.spotbatch.localcloud.LocalKafkaBroker;

/**
 * One in-process Kafka broker for every test in a JVM that needs one: started on first use (a few
 * seconds), stopped when the JVM exits. Tests keep apart by topic and group names.
 */
public final class SharedKafka {
  private static LocalKafkaBroker broker;

  private SharedKafka() {}

  /** The shared broker's bootstrap servers, starting it if needed. */
  public static synchronized String bootstrapServers() {
    if (broker == null) {
      LocalKafkaBroker started = LocalKafkaBroker.start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-kafka-stop"));
      broker = started;
    }
    return broker.bootstrapServers();
  }
}
