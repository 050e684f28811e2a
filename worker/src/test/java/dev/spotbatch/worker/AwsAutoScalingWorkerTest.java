package dev.spotbatch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.localcloud.LocalImdsServer;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.sqs.SqsEventQueue;
import dev.spotbatch.queue.sqs.SqsOptions;
import dev.spotbatch.queue.sqs.SqsQueues;
import dev.spotbatch.queue.sqs.SqsWorkQueue;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.testing.AwsQueryServer;
import dev.spotbatch.testing.ElasticMqServer;
import dev.spotbatch.testing.LocalImds;
import dev.spotbatch.worker.drain.Drainer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The worker application on "EC2" in an Auto Scaling group: its metadata service is the local
 * IMDSv2 endpoint (with instance metadata tags on, as worker_fleet's launch template sets them),
 * and Auto Scaling is an in-process server speaking its Query protocol. The production client code
 * runs; only the endpoints differ.
 */
class AwsAutoScalingWorkerTest {
  static final InstanceFacts FACTS =
      new InstanceFacts(
          "aws", "i-0abc123def4567890", "g5.xlarge", "us-east-1", "us-east-1a", Lifecycle.SPOT);
  static final int RECORDS = 30;

  ElasticMqServer sqs;
  LocalImdsServer imds;
  AwsQueryServer autoScaling;
  Path data;
  String workUrl;
  SqsEventQueue events;
  final List<WorkerEvent> received = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    sqs = ElasticMqServer.start();
    SqsQueues.ensure(sqs.client(), "a-work", 5);
    SqsQueues.ensure(sqs.client(), "a-events", 5);
    workUrl = sqs.client().getQueueUrl(b -> b.queueName("a-work")).join().queueUrl();
    String eventsUrl = sqs.client().getQueueUrl(b -> b.queueName("a-events")).join().queueUrl();
    events = new SqsEventQueue(sqs.client(), eventsUrl, new MessageCodec(), SqsOptions.defaults());
    imds = LocalImds.start(FACTS, Clock.systemUTC());
    autoScaling = AwsQueryServer.autoScaling();
    data = Files.createTempDirectory("spotbatch-worker-aws");
  }

  @AfterEach
  void stop() {
    autoScaling.close();
    imds.close();
    sqs.close();
  }

  ConfigurableApplicationContext worker(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--spring.cloud.aws.sqs.endpoint=" + sqs.endpoint(),
                "--spring.cloud.aws.region.static=us-east-1",
                "--spring.cloud.aws.credentials.access-key=test",
                "--spring.cloud.aws.credentials.secret-key=test",
                "--spotbatch.queue.work=a-work",
                "--spotbatch.queue.events=a-events",
                "--spotbatch.worker.id=aws-worker",
                "--spotbatch.worker.poll-wait=1s",
                "--spotbatch.worker.allowed-roots=" + StoreUri.of(data).asPrefix(),
                "--spotbatch.worker.model-cache-dir=target/model-cache",
                "--spotbatch.worker.temp-dir=" + data.resolve("tmp"),
                "--spotbatch.worker.management.token=mgmt-test-token",
                "--spotbatch.worker.notice.provider=aws",
                "--spotbatch.worker.notice.aws-endpoint=" + imds.endpoint(),
                "--spotbatch.worker.notice.poll-interval=100ms",
                "--spotbatch.worker.notice.sigterm-hook=false",
                "--spotbatch.worker.aws.endpoint=" + autoScaling.endpoint()));
    args.addAll(List.of(more));
    return new SpringApplicationBuilder(WorkerApplication.class).run(args.toArray(String[]::new));
  }

  @Test
  void aScaleInDrainsHeartbeatsTheHookWhileItsItemFinishesThenCompletesItWithContinue()
      throws Exception {
    // Auto Scaling tags the instance with its group; worker_fleet propagates the hook's name
    imds.instanceTags(
        Map.of(
            "aws:autoscaling:groupName", "spotbatch-w-spot-g5-xlarge-us-east-1a",
            "spotbatch:lifecycle-hook", "spotbatch-drain",
            "Name", "spotbatch-worker"));
    // the first heartbeat meets a server error and the completion is throttled once: the SDK's
    // retries carry both, and nothing in the drain waits on them
    autoScaling
        .once(
            "RecordLifecycleActionHeartbeat",
            autoScaling.error(500, "Receiver", "InternalFailure", "internal error"))
        .always(
            "RecordLifecycleActionHeartbeat", autoScaling.ok("RecordLifecycleActionHeartbeat", ""))
        .once(
            "CompleteLifecycleAction",
            autoScaling.error(400, "Sender", "Throttling", "Rate exceeded"))
        .always("CompleteLifecycleAction", autoScaling.ok("CompleteLifecycleAction", ""));
    WorkItem item = sendItem();

    try (ConfigurableApplicationContext app =
        worker(
            // batches of 2 at 4 records/s: the item takes ~7 s
            "--spotbatch.worker.batch-size=2",
            "--spotbatch.worker.max-records-per-second=4",
            "--spotbatch.worker.notice.lifecycle-grace=60s", // it fits: the drain finishes it
            "--spotbatch.worker.aws.heartbeat-timeout=1s",
            "--spotbatch.worker.aws.heartbeat-lead=500ms",
            "--spotbatch.worker.aws.heartbeat-check=100ms")) {
      await(() -> activeLeases(app) == 1, Duration.ofSeconds(90));
      assertThat(autoScaling.requests()).as("nothing is asked of Auto Scaling before").isEmpty();

      imds.announceLifecycleTermination();

      WorkerStopped stopped = awaitStopped(Duration.ofSeconds(30));
      assertThat(stopped.report().kind()).isEqualTo(NoticeKind.AWS_LIFECYCLE_TERMINATION);
      assertThat(stopped.report().finished()).as("the drain finished the item").isEqualTo(1);
      Drainer drainer = app.getBean(Drainer.class);
      assertThat(drainer.awaitDrained(Duration.ofSeconds(10))).isTrue();
      await(
          () -> autoScaling.requests("CompleteLifecycleAction").size() == 2,
          Duration.ofSeconds(10));

      List<AwsQueryServer.Request> heartbeats =
          autoScaling.requests("RecordLifecycleActionHeartbeat");
      assertThat(heartbeats)
          .as("a drain of seconds against a 1 s heartbeat timeout: the failed one and more")
          .hasSizeGreaterThanOrEqualTo(2);
      assertThat(heartbeats)
          .allSatisfy(
              r ->
                  assertThat(r.params())
                      .containsEntry(
                          "AutoScalingGroupName", "spotbatch-w-spot-g5-xlarge-us-east-1a")
                      .containsEntry("LifecycleHookName", "spotbatch-drain")
                      .containsEntry("InstanceId", "i-0abc123def4567890"));
      List<AwsQueryServer.Request> completions = autoScaling.requests("CompleteLifecycleAction");
      assertThat(completions)
          .as("throttled once, then accepted")
          .hasSize(2)
          .allSatisfy(
              r ->
                  assertThat(r.params())
                      .containsEntry(
                          "AutoScalingGroupName", "spotbatch-w-spot-g5-xlarge-us-east-1a")
                      .containsEntry("LifecycleHookName", "spotbatch-drain")
                      .containsEntry("InstanceId", "i-0abc123def4567890")
                      .containsEntry("LifecycleActionResult", "CONTINUE"));
      List<AwsQueryServer.Request> all = autoScaling.requests();
      assertThat(all.get(all.size() - 1).action())
          .as("completed last: no heartbeat after it")
          .isEqualTo("CompleteLifecycleAction");
      MeterRegistry meters = app.getBean(MeterRegistry.class);
      // the server records a request before it answers; the worker counts the call once the
      // answer is in, so the counter may lag the request list by a moment
      await(() -> acceptedCompletions(meters) >= 1.0, Duration.ofSeconds(10));
      assertThat(acceptedCompletions(meters)).isEqualTo(1.0);
      assertThat(Files.exists(StoreUri.parse(item.outputUri()).toPath().resolve(item.partPath())))
          .isTrue();
    }
  }

  @Test
  void aRebalanceRecommendationStopsLeasingThenTheIdleWorkerDrainsAndExits() throws Exception {
    imds.instanceTags(Map.of("aws:autoscaling:groupName", "spotbatch-w-spot-g5-xlarge-us-east-1a"));
    try (ConfigurableApplicationContext app =
        worker("--spotbatch.worker.preload-models=")) { // no item runs here: no model needed
      Drainer drainer = app.getBean(Drainer.class);
      List<DrainExit> exits = new java.util.concurrent.CopyOnWriteArrayList<>();
      drainer.onDrained(r -> exits.add(new DrainExit(r.kind())));

      imds.announceRebalanceRecommendation();

      WorkerStopped stopped = awaitStopped(Duration.ofSeconds(30));
      assertThat(stopped.report().kind()).isEqualTo(NoticeKind.AWS_REBALANCE_RECOMMENDATION);
      assertThat(drainer.awaitDrained(Duration.ofSeconds(10))).isTrue();
      await(() -> !exits.isEmpty(), Duration.ofSeconds(5));
      assertThat(exits).containsExactly(new DrainExit(NoticeKind.AWS_REBALANCE_RECOMMENDATION));
      assertThat(autoScaling.requests())
          .as("no hook is named (no tag spotbatch:lifecycle-hook): Auto Scaling is never called")
          .isEmpty();
      // the item sent now waits for another worker: this one leases nothing more
      sendItem();
      Thread.sleep(1500);
      assertThat(
              sqs.client()
                  .getQueueAttributes(
                      b ->
                          b.queueUrl(workUrl)
                              .attributeNamesWithStrings("ApproximateNumberOfMessages"))
                  .join()
                  .attributesAsStrings()
                  .get("ApproximateNumberOfMessages"))
          .isEqualTo("1");
    }
  }

  /** What the exit callback heard (the application halts the JVM there). */
  record DrainExit(NoticeKind kind) {}

  WorkItem sendItem() throws Exception {
    Path input = data.resolve("docs.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < RECORDS; i++) {
      lines
          .append("{\"id\":\"r")
          .append(i)
          .append("\",\"text\":\"sentence number ")
          .append(i)
          .append("\"}\n");
    }
    Files.writeString(input, lines);
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
            StoreUri.of(data).asPrefix().resolve("out/").toString(),
            Attempts.NONE,
            3);
    new SqsWorkQueue(
            sqs.client(), workUrl, new MessageCodec(), Clock.systemUTC(), SqsOptions.defaults())
        .send(List.of(item));
    return item;
  }

  WorkerStopped awaitStopped(Duration timeout) {
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      for (WorkerEvent e : received) {
        if (e instanceof WorkerStopped s) {
          return s;
        }
      }
      List<EventDelivery> got = events.receive(10, Duration.ofMillis(500));
      got.forEach(d -> received.add(d.event()));
      events.acknowledge(got);
    }
    throw new AssertionError("no WorkerStopped within " + timeout + "; got " + received);
  }

  static int activeLeases(ConfigurableApplicationContext app) {
    try {
      String port = app.getEnvironment().getProperty("local.server.port");
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://localhost:" + port + "/actuator/health"))
                      .header("Authorization", "Bearer mgmt-test-token")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      var json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(health.body());
      return json.get("components").get("worker").get("details").get("activeLeases").asInt();
    } catch (Exception e) {
      return -1;
    }
  }

  private static double acceptedCompletions(MeterRegistry meters) {
    Counter c =
        meters
            .find("spotbatch.worker.lifecycle.hook.calls")
            .tag("call", "complete")
            .tag("outcome", "accepted")
            .counter();
    return c == null ? 0 : c.count();
  }

  static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(20);
    }
  }
}
