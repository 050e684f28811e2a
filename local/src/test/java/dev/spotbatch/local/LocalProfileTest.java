package dev.spotbatch.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotbatch.dispatcher.DispatcherApplication;
import dev.spotbatch.dispatcher.job.JobService;
import dev.spotbatch.dispatcher.job.JobStatus;
import dev.spotbatch.dispatcher.job.JobSubmission;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.queue.WorkSubmitter;
import dev.spotbatch.queue.sqs.SqsWorkQueue;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The embedded default: local profile with ElasticMQ in-process, an H2 file database under the data
 * directory and file:// storage. A job goes through the real SQS adapters end to end (a test plays
 * the worker: leases from the work queue and publishes ItemCompleted on the event queue).
 */
@SpringBootTest(
    classes = DispatcherApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("local")
class LocalProfileTest {
  static final Path DATA;
  static final int SQS_PORT;

  static {
    try {
      DATA = Files.createTempDirectory("spotbatch-local").toRealPath();
      try (ServerSocket s = new ServerSocket(0)) {
        SQS_PORT = s.getLocalPort();
      }
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("spotbatch.data-dir", DATA::toString);
    r.add("spotbatch.embedded.sqs.port", () -> SQS_PORT);
    r.add("spotbatch.fleet.local.workers", () -> 0);
  }

  @Autowired JobService jobs;
  @Autowired WorkSubmitter work;
  @Autowired EventQueue events;
  @Autowired EmbeddedSqsServer sqs;

  @Test
  void aJobRunsThroughTheEmbeddedSqsAndEndsWithAManifest() throws Exception {
    assertThat(work).isInstanceOf(SqsWorkQueue.class);
    WorkSource worker = (SqsWorkQueue) work; // the test leases as a worker would
    assertThat(sqs.port()).isEqualTo(SQS_PORT);
    assertThat(DATA.resolve("db")).exists(); // the H2 file database lives in the data directory
    Path in = DATA.resolve("in/docs.jsonl");
    Files.createDirectories(in.getParent());
    Files.writeString(in, "{\"id\":\"a\",\"text\":\"hello\"}\n{\"id\":\"b\",\"text\":\"world\"}\n");

    String id =
        jobs.submit(
                JobSubmission.of(
                    "local",
                    "all-minilm-l6-v2",
                    "file://" + in,
                    "file://" + DATA + "/out/",
                    null,
                    null))
            .id();

    List<Lease> leases =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> worker.lease(10, Duration.ofSeconds(1), Duration.ofSeconds(30)),
                l -> !l.isEmpty());
    WorkItem item = leases.get(0).item();
    assertThat(item.itemId()).isEqualTo(id + "-000000");
    Files.createDirectories(DATA.resolve("out"));
    Files.writeString(DATA.resolve("out").resolve(item.partPath()), "{}\n{}\n");
    events.publish(
        List.<WorkerEvent>of(
            new ItemCompleted(
                "evt-1",
                id,
                item.itemId(),
                item.range(),
                new PartRef(item.partPath(), 2, item.range()),
                null,
                item.attempts(),
                "test-worker",
                InstanceFacts.local("test"),
                null,
                java.time.Instant.now())));
    worker.complete(leases.get(0));

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> jobs.get(id).job().status() == JobStatus.SUCCEEDED);
    assertThat(Files.readString(DATA.resolve("out/_SUCCESS")))
        .contains(item.partPath())
        .contains("\"succeeded\" : 2");
  }
}
