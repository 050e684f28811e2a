package dev.spotbatch.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.localcloud.LocalKafkaBroker;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.queue.kafka.KafkaEventQueue;
import dev.spotbatch.queue.kafka.KafkaOptions;
import dev.spotbatch.queue.kafka.KafkaShareWorkQueue;
import dev.spotbatch.queue.kafka.KafkaTopics;
import dev.spotbatch.worker.WorkerApplication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The worker on {@code spotbatch.queue.type=kafka} against an in-process broker, with no SQS
 * setting and no AWS region: Kafka queues with one slot per unit of concurrency, and no SQS client.
 */
@ExtendWith(KafkaQueueConfigurationTest.StopBrokerLast.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = { // in the environment before SqsClientSwitch looks (dynamic properties are not)
      "spotbatch.queue.type=kafka",
      "spotbatch.worker.notice.enabled=false",
      "spotbatch.worker.allowed-roots=s3://test/",
      "spring.cloud.aws.s3.enabled=false" // the S3 client wants a region
    })
@DirtiesContext
class KafkaQueueConfigurationTest {
  static final LocalKafkaBroker BROKER = LocalKafkaBroker.start();

  static {
    // the dispatcher creates the topics; without them the worker's drain on close would wait for
    // its events topic until the grace ran out
    KafkaTopics.ensure(
        KafkaOptions.defaults(BROKER.bootstrapServers())
            .withTopics("w-topic", "spotbatch-events")
            .withDelayTiers(List.of(Duration.ofSeconds(2), Duration.ofMinutes(1))));
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("spotbatch.queue.kafka.bootstrap-servers", BROKER::bootstrapServers);
    r.add("spotbatch.queue.kafka.properties.client.dns.lookup", () -> "use_all_dns_ips");
    r.add("spotbatch.queue.kafka.work-group", () -> "w-group");
    r.add("spotbatch.queue.kafka.delay-tiers", () -> "2s,1m");
    r.add("spotbatch.queue.work", () -> "w-topic");
    r.add("spotbatch.worker.concurrency", () -> 3);
  }

  /**
   * Stops the broker after Spring has closed the context ({@link DirtiesContext}): registered
   * before the Spring extension, so its after-all runs after Spring's. A context left to the JVM's
   * exit would close its Kafka clients against a stopped broker and hold the test JVM for 30 s.
   */
  static final class StopBrokerLast implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
      BROKER.close();
    }
  }

  @Autowired WorkSource work;
  @Autowired EventQueue events;
  @Autowired KafkaOptions options;
  @Autowired ApplicationContext context;

  @Test
  void leasesThroughAShareGroupWithOneSlotPerUnitOfConcurrency() {
    assertThat(work).isInstanceOf(KafkaShareWorkQueue.class);
    assertThat(events).isInstanceOf(KafkaEventQueue.class);
    assertThat(options.bootstrapServers()).isEqualTo(BROKER.bootstrapServers());
    assertThat(options.slots()).isEqualTo(3);
    assertThat(options.workTopic()).isEqualTo("w-topic");
    assertThat(options.eventsTopic()).isEqualTo("spotbatch-events");
    assertThat(options.workGroup()).isEqualTo("w-group");
    assertThat(options.eventsGroup()).isEqualTo("spotbatch-dispatcher");
    assertThat(options.clientProperties()).containsEntry("client.dns.lookup", "use_all_dns_ips");
    assertThat(options.delayTiers()).containsExactly(Duration.ofSeconds(2), Duration.ofMinutes(1));
    assertThat(options.lockDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.maxReceiveCount()).isEqualTo(4);
    assertThat(options.partitions()).isEqualTo(1);
    assertThat(context.getBeanNamesForType(SqsAsyncClient.class)).isEmpty();
  }

  @Test
  void aBadKafkaSettingFailsTheStartNamingItsProperty() {
    assertThatThrownBy(() -> start("--spotbatch.queue.kafka.max-receive-count=12").close())
        .hasStackTraceContaining("spotbatch.queue.kafka.max-receive-count must be between 1 and 9");
    assertThatThrownBy(() -> start("--spotbatch.queue.kafka.bootstrap-servers=").close())
        .hasStackTraceContaining("spotbatch.queue.kafka.bootstrap-servers must not be blank");
    assertThatThrownBy(() -> start("--spotbatch.queue.kafka.delay-tiers=5s,1s").close())
        .hasStackTraceContaining("spotbatch.queue.kafka.delay-tiers must be ascending");
  }

  static ConfigurableApplicationContext start(String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--spotbatch.queue.type=kafka",
                "--spotbatch.worker.notice.enabled=false",
                "--spotbatch.worker.allowed-roots=s3://test/",
                "--spring.cloud.aws.s3.enabled=false"));
    if (List.of(extra).stream().noneMatch(a -> a.contains("bootstrap-servers="))) {
      args.add("--spotbatch.queue.kafka.bootstrap-servers=" + BROKER.bootstrapServers());
    }
    args.addAll(List.of(extra));
    return new SpringApplicationBuilder(WorkerApplication.class)
        .web(WebApplicationType.NONE)
        .properties(Map.of("spring.main.banner-mode", "off"))
        .run(args.toArray(String[]::new));
  }
}
