package dev.spotbatch.dispatcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.dispatcher.DispatcherApplication;
import dev.spotbatch.localcloud.LocalKafkaBroker;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.WorkSubmitter;
import dev.spotbatch.queue.kafka.KafkaDelayForwarder;
import dev.spotbatch.queue.kafka.KafkaEventQueue;
import dev.spotbatch.queue.kafka.KafkaOptions;
import dev.spotbatch.queue.kafka.KafkaWorkSubmitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The dispatcher on {@code spotbatch.queue.type=kafka} against a broker started by the test: Kafka
 * adapters, the delay forwarder, and the topics and share-group settings created at startup; no SQS
 * client and no embedded server or broker.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = { // in the environment before SqsClientSwitch looks (dynamic properties are not)
      "spotbatch.queue.type=kafka",
      "spotbatch.queue.kafka.events-group=d-events",
      "spotbatch.queue.kafka.lock-duration=45s",
      "spotbatch.queue.kafka.partitions=3",
      "spotbatch.queue.kafka.delay-tiers=1s,10s",
      "spotbatch.queue.events=d-events-topic",
      "spring.datasource.url=jdbc:h2:mem:kafka-config;DB_CLOSE_DELAY=-1",
      "spring.cloud.aws.s3.enabled=false"
    })
class KafkaQueueConfigTest {
  static final LocalKafkaBroker BROKER = LocalKafkaBroker.start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("spotbatch.queue.kafka.bootstrap-servers", BROKER::bootstrapServers);
  }

  @AfterAll
  static void stopBroker() {
    BROKER.close();
  }

  @Autowired WorkSubmitter work;
  @Autowired EventQueue events;
  @Autowired KafkaOptions options;
  @Autowired ApplicationContext context;

  @Test
  void wiresTheKafkaAdaptersAndTheDelayForwarder() {
    assertThat(work).isInstanceOf(KafkaWorkSubmitter.class);
    assertThat(events).isInstanceOf(KafkaEventQueue.class);
    assertThat(context.getBeansOfType(KafkaDelayForwarder.class)).hasSize(1);
    assertThat(context.getBeanNamesForType(SqsAsyncClient.class)).isEmpty();
    assertThat(context.getBeanNamesForType(EmbeddedQueueServer.class)).isEmpty();
    assertThat(options.bootstrapServers()).isEqualTo(BROKER.bootstrapServers());
    assertThat(options.slots()).isZero();
    assertThat(options.workTopic()).isEqualTo("spotbatch-work");
    assertThat(options.eventsTopic()).isEqualTo("d-events-topic");
    assertThat(options.workGroup()).isEqualTo("spotbatch-workers");
    assertThat(options.eventsGroup()).isEqualTo("d-events");
    assertThat(options.lockDuration()).isEqualTo(Duration.ofSeconds(45));
    assertThat(options.maxReceiveCount()).isEqualTo(4);
    assertThat(options.delayTiers()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(10));
  }

  @Test
  void createsTheTopicsAndSetsTheShareGroupsAtStartup() throws Exception {
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", BROKER.bootstrapServers()))) {
      assertThat(admin.listTopics().names().get())
          .contains(
              "spotbatch-work",
              "d-events-topic",
              "spotbatch-work-dlq",
              "spotbatch-work-delay-1s",
              "spotbatch-work-delay-10s");
      assertThat(
              admin
                  .describeTopics(List.of("spotbatch-work"))
                  .allTopicNames()
                  .get()
                  .get("spotbatch-work")
                  .partitions())
          .hasSize(3);
      ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "d-events");
      Config config = admin.describeConfigs(List.of(group)).all().get().get(group);
      assertThat(config.get("share.auto.offset.reset").value()).isEqualTo("earliest");
      assertThat(config.get("share.record.lock.duration.ms").value()).isEqualTo("45000");
    }
  }

  @Test
  void badKafkaSettingsFailTheStartNamingTheProperty() {
    assertThatThrownBy(() -> start("--spotbatch.queue.kafka.max-receive-count=0").close())
        .hasStackTraceContaining("spotbatch.queue.kafka.max-receive-count must be between 1 and 9");
    assertThatThrownBy(() -> start("--spotbatch.queue.kafka.lock-duration=500ms").close())
        .hasStackTraceContaining("spotbatch.queue.kafka.lock-duration must be between 1 s and 1 h");
    assertThatThrownBy(() -> start("--spotbatch.queue.kafka.bootstrap-servers=").close())
        .hasStackTraceContaining("spotbatch.queue.kafka.bootstrap-servers must not be blank");
    assertThatThrownBy(() -> start("--spotbatch.queue.type=rabbit").close())
        .hasStackTraceContaining("spotbatch.queue.type")
        .hasStackTraceContaining("rabbit");
  }

  static ConfigurableApplicationContext start(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spotbatch.queue.type=kafka",
                "--spring.datasource.url=jdbc:h2:mem:kafka-config-bad;DB_CLOSE_DELAY=-1",
                "--spring.cloud.aws.s3.enabled=false"));
    if (List.of(extra).stream().noneMatch(a -> a.contains("bootstrap-servers="))) {
      args.add("--spotbatch.queue.kafka.bootstrap-servers=" + BROKER.bootstrapServers());
    }
    args.addAll(List.of(extra));
    return new SpringApplicationBuilder(DispatcherApplication.class)
        .web(WebApplicationType.NONE)
        .properties(Map.of("spring.main.banner-mode", "off"))
        .run(args.toArray(String[]::new));
  }
}
