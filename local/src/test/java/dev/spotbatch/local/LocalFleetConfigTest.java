package dev.spotbatch.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.boot.KafkaQueueProperties;
import dev.spotbatch.boot.QueueProperties;
import dev.spotbatch.queue.kafka.KafkaOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the local fleet tells each worker about the queues. */
class LocalFleetConfigTest {
  static QueueProperties queue(String type, String work, String events) {
    return new QueueProperties(
        QueueProperties.Type.valueOf(type.toUpperCase(java.util.Locale.ROOT)),
        work,
        events,
        10,
        new KafkaQueueProperties(
            null,
            Map.of(),
            "spotbatch-workers",
            "spotbatch-dispatcher",
            Duration.ofSeconds(30),
            5,
            8,
            KafkaOptions.DEFAULT_DELAY_TIERS));
  }

  @Test
  void onKafkaWorkersGetTheQueueTypeAndTheBootstrapServersOnly() {
    KafkaOptions kafka = KafkaOptions.defaults("127.0.0.1:39092");

    assertThat(
            LocalFleetConfig.workerQueueArgs(
                queue("kafka", "spotbatch-work", "spotbatch-events"), kafka))
        .containsExactly(
            "--spotbatch.queue.type=kafka",
            "--spotbatch.queue.kafka.bootstrap-servers=127.0.0.1:39092");
    assertThat(LocalFleetConfig.workerEnvironment(kafka)).isEmpty();
  }

  @Test
  void onKafkaWorkersGetEveryNonDefaultSettingAndTheClientPropertiesInTheirEnvironment() {
    KafkaOptions kafka =
        KafkaOptions.defaults("b1:9098,b2:9098")
            .withTopics("w", "e")
            .withGroups("wg", "eg")
            .withLockDuration(Duration.ofSeconds(45))
            .withMaxReceiveCount(7)
            .withPartitions(16)
            .withDelayTiers(List.of(Duration.ofSeconds(2), Duration.ofMinutes(1)))
            .withClientProperties(
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "AWS_MSK_IAM"));

    List<String> args = LocalFleetConfig.workerQueueArgs(queue("kafka", "w", "e"), kafka);

    assertThat(args)
        .containsExactly(
            "--spotbatch.queue.type=kafka",
            "--spotbatch.queue.kafka.bootstrap-servers=b1:9098,b2:9098",
            "--spotbatch.queue.kafka.work-group=wg",
            "--spotbatch.queue.kafka.events-group=eg",
            "--spotbatch.queue.kafka.lock-duration=45000ms",
            "--spotbatch.queue.kafka.max-receive-count=7",
            "--spotbatch.queue.kafka.partitions=16",
            "--spotbatch.queue.kafka.delay-tiers=2s,60s",
            "--spotbatch.queue.work=w",
            "--spotbatch.queue.events=e");
    assertThat(String.join(" ", args)).doesNotContain("SASL_SSL", "AWS_MSK_IAM");
    assertThat(LocalFleetConfig.workerEnvironment(kafka))
        .containsExactly(
            Map.entry(
                "SPRING_APPLICATION_JSON",
                "{\"spotbatch.queue.kafka.properties[sasl.mechanism]\":\"AWS_MSK_IAM\","
                    + "\"spotbatch.queue.kafka.properties[security.protocol]\":\"SASL_SSL\"}"));
  }

  @Test
  void onSqsWorkersGetOnlyNonDefaultQueueNames() {
    assertThat(
            LocalFleetConfig.workerQueueArgs(
                queue("sqs", "spotbatch-work", "spotbatch-events"), null))
        .isEmpty();
    assertThat(LocalFleetConfig.workerQueueArgs(queue("sqs", "w", "spotbatch-events"), null))
        .containsExactly("--spotbatch.queue.work=w");
    assertThat(LocalFleetConfig.workerEnvironment(null)).isEmpty();
  }
}
