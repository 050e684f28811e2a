package dev.spotbatch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.WorkerDraining;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.sqs.SqsEventQueue;
import dev.spotbatch.queue.sqs.SqsOptions;
import dev.spotbatch.queue.sqs.SqsQueues;
import dev.spotbatch.queue.sqs.SqsWorkQueue;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.testing.ElasticMqServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole worker application, as the jar runs it, against an in-process ElasticMQ and a local
 * data directory, with the real all-minilm-l6-v2 model.
 */
class WorkerApplicationTest {
  static ElasticMqServer sqs;
  static Path data;

  @BeforeAll
  static void startSqs() throws Exception {
    sqs = ElasticMqServer.start();
    SqsQueues.ensure(sqs.client(), "w-work", 5);
    SqsQueues.ensure(sqs.client(), "w-events", 5);
    data = Files.createTempDirectory("spotbatch-worker-app");
  }

  @AfterAll
  static void stopSqs() {
    sqs.close();
  }

  @Test
  void leasesFromTheNamedQueueWritesThePartAndPublishesTheEvent() throws Exception {
    Path input = data.resolve("docs.jsonl");
    Files.writeString(
        input,
        "{\"id\":\"1\",\"text\":\"A man is eating food.\"}\n"
            + "{\"id\":\"2\",\"text\":\"A man is eating a piece of bread.\"}\n"
            + "{\"id\":\"3\"}\n");
    String output = StoreUri.of(data).asPrefix().resolve("out/").toString();
    MessageCodec codec = new MessageCodec();
    String workUrl = sqs.client().getQueueUrl(b -> b.queueName("w-work")).join().queueUrl();
    String eventsUrl = sqs.client().getQueueUrl(b -> b.queueName("w-events")).join().queueUrl();
    WorkItem item =
        new WorkItem(
            "job-1",
            "item-1",
            0,
            "all-minilm-l6-v2",
            StoreUri.of(input).toString(),
            "docs.jsonl",
            new ByteRange(0, Files.size(input)),
            InputFormat.JSONL,
            "text",
            "id",
            output,
            Attempts.NONE,
            3);
    new SqsWorkQueue(sqs.client(), workUrl, codec, Clock.systemUTC(), SqsOptions.defaults())
        .send(List.of(item));

    SqsEventQueue events = new SqsEventQueue(sqs.client(), eventsUrl, codec, SqsOptions.defaults());
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(WorkerApplication.class)
            .run(
                "--server.port=0",
                "--spring.cloud.aws.sqs.endpoint=" + sqs.endpoint(),
                "--spring.cloud.aws.region.static=us-east-1",
                "--spring.cloud.aws.credentials.access-key=test",
                "--spring.cloud.aws.credentials.secret-key=test",
                "--spotbatch.queue.work=w-work",
                "--spotbatch.queue.events=w-events",
                "--spotbatch.worker.id=test-worker",
                "--spotbatch.worker.poll-wait=1s",
                "--spotbatch.worker.allowed-roots=" + StoreUri.of(data).asPrefix(),
                "--spotbatch.worker.model-cache-dir=target/model-cache",
                "--spotbatch.worker.temp-dir=" + data.resolve("tmp"),
                "--spotbatch.worker.management.token=mgmt-test-token")) {
      List<WorkerEvent> received = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received.stream().noneMatch(ItemCompleted.class::isInstance)
          && System.nanoTime() < deadline) {
        List<EventDelivery> got = events.receive(10, Duration.ofSeconds(1));
        got.forEach(d -> received.add(d.event()));
        events.acknowledge(got);
      }
      assertThat(received)
          .extracting(e -> e.getClass().getSimpleName())
          .containsExactlyInAnyOrder("ItemStarted", "ItemCompleted");
      assertThat(app.containsBean("modelWarmStart"))
          .as("the model was loaded beside the context")
          .isTrue();
      ItemCompleted done =
          (ItemCompleted)
              received.stream().filter(ItemCompleted.class::isInstance).findFirst().orElseThrow();
      // one retry layer: the SDK client Spring Cloud AWS built does not retry by itself
      assertThat(
              app.getBean(SqsAsyncClient.class)
                  .serviceClientConfiguration()
                  .overrideConfiguration()
                  .retryStrategy()
                  .orElseThrow()
                  .maxAttempts())
          .isEqualTo(1);
      assertThat(done.workerId()).isEqualTo("test-worker");
      assertThat(done.part().records()).isEqualTo(2);
      assertThat(done.errorPart().records()).isEqualTo(1);

      Path part = data.resolve("out").resolve(item.partPath());
      List<String> lines = Files.readAllLines(part);
      JsonMapper json = JsonMapper.builder().build();
      JsonNode first = json.readTree(lines.get(0));
      assertThat(first.get("id").asString()).isEqualTo("1");
      assertThat(first.get("embedding").size()).isEqualTo(384);
      assertThat(Files.exists(data.resolve("out").resolve(item.errorPartPath()))).isTrue();

      String port = app.getEnvironment().getProperty("local.server.port");
      URI healthUri = URI.create("http://localhost:" + port + "/actuator/health");
      // without the management token: the status only, no leases (job and item ids)
      HttpResponse<String> anonymous =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(healthUri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(json.readTree(anonymous.body()).has("status")).isTrue();
      assertThat(json.readTree(anonymous.body()).has("components")).isFalse();
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(healthUri)
                      .header("Authorization", "Bearer mgmt-test-token")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      JsonNode details =
          json.readTree(health.body()).get("components").get("worker").get("details");
      assertThat(details.get("activeLeases").asInt()).isZero();
      assertThat(details.get("leases").isArray()).isTrue();
      assertThat(details.get("draining").asBoolean()).isFalse();
    }

    // closing the context is a plain stop: it drains (deadline = now + grace) and reports it
    List<WorkerEvent> afterStop = new ArrayList<>();
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (afterStop.stream().noneMatch(WorkerStopped.class::isInstance)
        && System.nanoTime() < until) {
      List<EventDelivery> got = events.receive(10, Duration.ofSeconds(1));
      got.forEach(d -> afterStop.add(d.event()));
      events.acknowledge(got);
    }
    assertThat(afterStop).anyMatch(WorkerDraining.class::isInstance);
    WorkerStopped stopped =
        (WorkerStopped)
            afterStop.stream().filter(WorkerStopped.class::isInstance).findFirst().orElseThrow();
    assertThat(stopped.report().kind()).isEqualTo(NoticeKind.SIGTERM);
    assertThat(stopped.report().abandoned()).isZero();
  }
}
