package dev.spotbatch.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.DispatcherApplication;
import dev.spotbatch.queue.WorkSubmitter;
import dev.spotbatch.queue.kafka.KafkaOptions;
import dev.spotbatch.queue.kafka.KafkaWorkSubmitter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The local profile with {@code spotbatch.queue.type=kafka}: the broker runs in the dispatcher's
 * process with its logs under the data directory, the queues point at it, and ElasticMQ does not
 * start.
 */
@SpringBootTest(
    classes = DispatcherApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {"spotbatch.queue.type=kafka", "spotbatch.fleet.local.workers=0"})
@ActiveProfiles("local")
class LocalProfileKafkaTest {
  static final Path DATA;

  static {
    try {
      DATA = Files.createTempDirectory("spotbatch-local-kafka").toRealPath();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("spotbatch.data-dir", DATA::toString);
  }

  @Autowired EmbeddedKafkaBroker broker;
  @Autowired KafkaOptions options;
  @Autowired WorkSubmitter work;
  @Autowired ApplicationContext context;

  @Test
  void startsTheBrokerInProcessInsteadOfElasticMq() throws Exception {
    assertThat(context.getBeanNamesForType(EmbeddedSqsServer.class)).isEmpty();
    assertThat(work).isInstanceOf(KafkaWorkSubmitter.class);
    assertThat(options.bootstrapServers()).isEqualTo(broker.bootstrapServers());
    assertThat(broker.directory()).isEqualTo(DATA.resolve("kafka"));
    assertThat(DATA.resolve("kafka")).isNotEmptyDirectory();
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
      assertThat(admin.listTopics().names().get())
          .contains("spotbatch-work", "spotbatch-events", "spotbatch-work-dlq");
    }
  }
}
