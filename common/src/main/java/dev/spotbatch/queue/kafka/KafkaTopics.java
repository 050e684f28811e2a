package dev.spotbatch.queue.kafka;

import dev.spotbatch.queue.QueueException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates what the Kafka adapters need, idempotently: the work topic, the events topic, the
 * dead-letter topic, one single-partition topic per delay tier (so each tier is first in, first
 * due), and the share groups' settings ({@code share.auto.offset.reset=earliest}, so nothing
 * produced before a worker joined is skipped, and the acquisition lock duration). Replication
 * follows the cluster's {@code default.replication.factor}.
 */
public final class KafkaTopics {
  private static final Logger log = LoggerFactory.getLogger(KafkaTopics.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private KafkaTopics() {}

  /** The settings every client of these adapters starts from: bootstrap plus the extras. */
  static Map<String, Object> clientConfig(KafkaOptions options) {
    Map<String, Object> config = new HashMap<>(options.clientProperties());
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
    return config;
  }

  /** Creates missing topics and sets the share groups' configuration. */
  public static void ensure(KafkaOptions options) {
    try (Admin admin = Admin.create(clientConfig(options))) {
      Set<String> existing = admin.listTopics().names().get(timeoutMs(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      addIfMissing(missing, existing, options.workTopic(), options.partitions());
      addIfMissing(missing, existing, options.eventsTopic(), options.partitions());
      addIfMissing(missing, existing, options.deadLetterTopic(), 1);
      for (Duration tier : options.delayTiers()) {
        addIfMissing(missing, existing, options.delayTopic(tier), 1);
      }
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
        log.info("created Kafka topics {}", missing.stream().map(NewTopic::name).toList());
      }
      Map<ConfigResource, java.util.Collection<AlterConfigOp>> groups = new HashMap<>();
      for (String group : List.of(options.workGroup(), options.eventsGroup())) {
        groups.put(
            new ConfigResource(ConfigResource.Type.GROUP, group),
            List.of(
                set("share.auto.offset.reset", "earliest"),
                set(
                    "share.record.lock.duration.ms",
                    String.valueOf(options.lockDuration().toMillis()))));
      }
      admin.incrementalAlterConfigs(groups).all().get(timeoutMs(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueueException("interrupted while setting up Kafka topics", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new QueueException(
          "could not set up the Kafka topics and share groups at "
              + options.bootstrapServers()
              + " (check spotbatch.queue.kafka.bootstrap-servers and the client's security"
              + " settings; the cluster must be Kafka 4.2+ with share groups): "
              + cause,
          cause);
    }
  }

  private static void addIfMissing(
      List<NewTopic> missing, Set<String> existing, String topic, int partitions) {
    if (!existing.contains(topic)) {
      missing.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
    }
  }

  private static AlterConfigOp set(String name, String value) {
    return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
  }

  private static long timeoutMs() {
    return TIMEOUT.toMillis();
  }
}
