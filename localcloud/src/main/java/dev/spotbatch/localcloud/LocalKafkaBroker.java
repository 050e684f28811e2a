package dev.spotbatch.localcloud;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft, broker and controller combined) in this process, from Kafka's own
 * test kit: the embedded default's broker for {@code spotbatch.queue.type=kafka}, and the broker of
 * the Kafka tests. Share groups work as on a real 4.2 cluster; replication factors are 1 and the
 * broker allows acquisition locks down to 1 s (tests use short leases). Listens on localhost on a
 * port of its choosing ({@link #bootstrapServers()}).
 */
public final class LocalKafkaBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalKafkaBroker.class);

  /** The broker's delivery count limit: above every redrive threshold the adapters allow. */
  public static final int DELIVERY_COUNT_LIMIT = 10;

  private final KafkaClusterTestKit kit;

  private LocalKafkaBroker(KafkaClusterTestKit kit) {
    this.kit = kit;
  }

  /** Starts a broker with its logs in a temporary directory (deleted on close). */
  public static LocalKafkaBroker start() {
    return start(null, Map.of());
  }

  /**
   * Starts a broker.
   *
   * <p>A directory that already holds a broker's logs is started as it is, not formatted again: the
   * broker keeps its cluster id, topics, records and share-group state across restarts.
   *
   * @param baseDirectory where its logs live (kept on close), or null for a temporary directory
   * @param brokerProperties extra broker settings
   */
  public static LocalKafkaBroker start(Path baseDirectory, Map<String, String> brokerProperties) {
    Objects.requireNonNull(brokerProperties, "brokerProperties");
    long start = System.nanoTime();
    KafkaClusterTestKit kit = null;
    try {
      TestKitNodes.Builder nodes =
          new TestKitNodes.Builder()
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1);
      Optional<String> formatted = Optional.empty();
      if (baseDirectory != null) {
        nodes.setBaseDirectory(baseDirectory);
        formatted = formattedClusterId(baseDirectory);
        formatted.ifPresent(nodes::setClusterId);
      }
      KafkaClusterTestKit.Builder builder =
          new KafkaClusterTestKit.Builder(nodes.build())
              .setDeleteOnClose(baseDirectory == null)
              .setConfigProp("offsets.topic.replication.factor", "1")
              .setConfigProp("offsets.topic.num.partitions", "1")
              // a classic group's first join waits this long for more members (3 s by default):
              // one node's groups have one or two members, and a consumer closed meanwhile (the
              // delay forwarder of a short test) waited the full 3 s to leave
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
              .setConfigProp("share.coordinator.state.topic.min.isr", "1")
              .setConfigProp("share.coordinator.state.topic.num.partitions", "1")
              .setConfigProp("group.share.min.record.lock.duration.ms", "1000")
              .setConfigProp(
                  "group.share.delivery.count.limit", String.valueOf(DELIVERY_COUNT_LIMIT))
              .setConfigProp("group.share.heartbeat.interval.ms", "500")
              .setConfigProp("group.share.min.heartbeat.interval.ms", "500")
              .setConfigProp("auto.create.topics.enable", "false");
      brokerProperties.forEach(builder::setConfigProp);
      kit = builder.build();
      if (formatted.isEmpty()) {
        kit.format();
      }
      kit.startup();
      kit.waitForReadyBrokers();
      LocalKafkaBroker broker = new LocalKafkaBroker(kit);
      log.info(
          "local Kafka broker (KRaft, combined) at {} in {} ms{}",
          broker.bootstrapServers(),
          (System.nanoTime() - start) / 1_000_000,
          formatted.isPresent() ? " (restarted on its logs in " + baseDirectory + ")" : "");
      return broker;
    } catch (Exception e) {
      if (kit != null) {
        try {
          kit.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("could not start the local Kafka broker: " + e, e);
    }
  }

  /**
   * The cluster id in a node directory's {@code meta.properties} under {@code baseDirectory}, if a
   * broker was formatted there before (the test kit names a fresh cluster id on every build and
   * refuses to format a directory twice).
   */
  static Optional<String> formattedClusterId(Path baseDirectory) throws IOException {
    if (!Files.isDirectory(baseDirectory)) {
      return Optional.empty();
    }
    try (Stream<Path> nodes = Files.list(baseDirectory)) {
      for (Path meta : nodes.map(n -> n.resolve("meta.properties")).toList()) {
        if (Files.isRegularFile(meta)) {
          Properties p = new Properties();
          try (Reader r = Files.newBufferedReader(meta)) {
            p.load(r);
          }
          String id = p.getProperty("cluster.id");
          if (id != null && !id.isBlank()) {
            return Optional.of(id.trim());
          }
        }
      }
    }
    return Optional.empty();
  }

  /** {@code host:port} of the broker's client listener. */
  public String bootstrapServers() {
    return kit.bootstrapServers();
  }

  /**
   * The port the client listener is bound to (a new one on every start). It differs from the port
   * the broker tells clients to use when {@code advertised.listeners} names another: the outage
   * test puts a relay there that stays put across restarts.
   */
  public int boundPort() {
    return kit.brokers().values().iterator().next().boundPort(ListenerName.normalised("EXTERNAL"));
  }

  /** Stops the broker; never throws. */
  @Override
  public void close() {
    try {
      kit.close();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn("stopping the local Kafka broker: {}", e.toString());
    }
  }
}
