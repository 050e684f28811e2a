package dev.spotbatch.dispatcher.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.dispatcher.Databases;
import dev.spotbatch.dispatcher.Fixture;
import dev.spotbatch.dispatcher.config.TemplateTransactions;
import dev.spotbatch.dispatcher.events.Transactions;
import dev.spotbatch.dispatcher.job.FailureRow;
import dev.spotbatch.dispatcher.job.ItemStatus;
import dev.spotbatch.dispatcher.job.Job;
import dev.spotbatch.dispatcher.job.JobStatus;
import dev.spotbatch.dispatcher.job.ManifestWriter;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.DeadLetterQueue;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.kafka.KafkaDeadLetterQueue;
import dev.spotbatch.queue.kafka.KafkaOptions;
import dev.spotbatch.queue.kafka.KafkaTopics;
import dev.spotbatch.queue.sqs.SqsDeadLetterQueue;
import dev.spotbatch.queue.sqs.SqsOptions;
import dev.spotbatch.queue.sqs.SqsQueues;
import dev.spotbatch.testing.ElasticMqServer;
import dev.spotbatch.testing.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Dead letters end their items FAILED with the reason, the job FAILED, and {@code retry} runs them
 * again: on ElasticMQ's real redrive and on the Kafka dead-letter topic of an in-process broker.
 */
class DeadLetterSweeperTest {
  static final InstanceFacts SPOT =
      new InstanceFacts("aws", "i-1", "m5.large", "us-east-1", "us-east-1a", Lifecycle.SPOT);
  static ElasticMqServer sqs;
  final MessageCodec codec = new MessageCodec();

  @TempDir Path dir;
  Fixture f;
  Transactions tx;
  Job job;
  List<Lease> leases;

  @BeforeAll
  static void startSqs() {
    sqs = ElasticMqServer.start();
  }

  @AfterAll
  static void stopSqs() {
    sqs.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    DataSource ds = Databases.h2();
    f = new Fixture(dir, ds);
    tx = new TemplateTransactions(new DataSourceTransactionManager(ds));
    Files.createDirectories(dir.resolve("in"));
    Files.write(dir.resolve("in/docs.jsonl"), new byte[3000]);
    job = f.service.submit(f.submission("in/docs.jsonl", 1024, 3));
    leases = f.queue.lease(100, Duration.ZERO, Duration.ofMinutes(1));
    assertThat(leases).hasSize(3);
  }

  DeadLetterSweeper sweeper(DeadLetterQueue dlq) {
    return new DeadLetterSweeper(
        dlq, f.jobs, f.manifests, tx, f.clock, 10, new DeadLetterSweeper.Meters(f.meters));
  }

  @Test
  void anItemSqsRedroveIsFailedWithItsReasonItsJobFailsAndRetryRunsItAgain() {
    WorkItem dead = leases.get(1).item();
    SqsQueues.QueueUrls urls = SqsQueues.ensure(sqs.client(), "w-" + UUID.randomUUID(), 1);
    sqs.client().sendMessage(b -> b.queueUrl(urls.queueUrl()).messageBody(codec.encode(dead)));
    for (int i = 0; i < 3; i++) { // leases that run out at once, until the redrive moves it
      sqs.client()
          .receiveMessage(b -> b.queueUrl(urls.queueUrl()).visibilityTimeout(0).waitTimeSeconds(1))
          .join();
    }
    try (SqsDeadLetterQueue dlq =
        new SqsDeadLetterQueue(
            sqs.client(), urls.deadLetterQueueUrl(), codec, SqsOptions.defaults())) {
      assertThat(sweeper(dlq).sweep()).isEqualTo(1);
      assertThat(dlq.depth()).isZero();
    }
    assertFailedThenRetried(dead, "dead-letter queue");
  }

  @Test
  void anItemOnTheKafkaDeadLetterTopicIsFailedWithItsReasonAndRetryRunsItAgain() throws Exception {
    WorkItem dead = leases.get(2).item();
    String id = UUID.randomUUID().toString().substring(0, 8);
    KafkaOptions options =
        KafkaOptions.defaults(SharedKafka.bootstrapServers())
            .withTopics("work-" + id, "events-" + id)
            .withGroups("workers-" + id, "dispatcher-" + id);
    KafkaTopics.ensure(options);
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", SharedKafka.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      ProducerRecord<String, String> r =
          new ProducerRecord<>(options.deadLetterTopic(), dead.itemId(), codec.encode(dead));
      r.headers().add("spotbatch-deliveries", "5".getBytes());
      p.send(r).get(10, TimeUnit.SECONDS);
    }
    try (KafkaDeadLetterQueue dlq = new KafkaDeadLetterQueue(options, codec)) {
      DeadLetterSweeper sweeper = sweeper(dlq);
      int handled = 0;
      for (int i = 0; i < 20 && handled == 0; i++) { // the first polls may fetch nothing yet
        handled = sweeper.sweep();
      }
      assertThat(handled).isEqualTo(1);
      assertThat(dlq.depth()).isZero();
    }
    assertFailedThenRetried(dead, "after 5 deliveries");
  }

  private void assertFailedThenRetried(WorkItem dead, String reasonPart) {
    assertThat(f.jobs.items().findItem(dead.itemId()).orElseThrow().status())
        .isEqualTo(ItemStatus.FAILED);
    assertThat(f.meters.counter("spotbatch.items.dead.lettered", "outcome", "failed").count())
        .isEqualTo(1);
    List<FailureRow> failures = f.jobs.items().failures(job.id());
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0).reason()).contains(reasonPart);
    assertThat(failures.get(0).workerId()).isEqualTo(DeadLetterSweeper.SOURCE);
    assertThat(failures.get(0).terminal()).isTrue();

    // the other items complete: the job ends FAILED with a _FAILED manifest
    for (Lease l : leases) {
      if (!l.item().itemId().equals(dead.itemId())) {
        f.applier.applyAll(List.of(completed(l.item())));
      }
    }
    Job failed = f.jobs.findJob(job.id()).orElseThrow();
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(Files.exists(dir.resolve("out").resolve(ManifestWriter.FAILED))).isTrue();

    // retry runs the dead item again
    leases.forEach(f.queue::complete);
    f.service.retry(job.id());
    List<Lease> again = f.queue.lease(100, Duration.ZERO, Duration.ofMinutes(1));
    assertThat(again).extracting(l -> l.item().itemId()).containsExactly(dead.itemId());
    f.applier.applyAll(List.of(completed(again.get(0).item())));
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  ItemCompleted completed(WorkItem item) {
    return new ItemCompleted(
        UUID.randomUUID().toString(),
        item.jobId(),
        item.itemId(),
        item.range(),
        new PartRef(item.partPath(), 1, item.range()),
        null,
        Attempts.NONE,
        "w1",
        SPOT,
        f.clock.instant().minusSeconds(5),
        f.clock.instant());
  }
}
