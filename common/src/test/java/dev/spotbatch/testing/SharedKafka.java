package dev.spotbatch.testing;

import dev.spotbatch.localcloud.LocalKafkaBroker;
import org.apache.kafka.common.utils.Exit;

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
      // as Kafka's own tests do: a fatal fault while the broker stops in the JVM's shutdown hook
      // must not halt the test JVM with a non-zero code (surefire then fails the module after every
      // test passed: "Error occurred in starting fork", 2 of 4 clean runs on 2026-12-02)
      Exit.setHaltProcedure((code, message) -> {});
      Exit.setExitProcedure((code, message) -> {});
      LocalKafkaBroker started = LocalKafkaBroker.start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-kafka-stop"));
      broker = started;
    }
    return broker.bootstrapServers();
  }
}
