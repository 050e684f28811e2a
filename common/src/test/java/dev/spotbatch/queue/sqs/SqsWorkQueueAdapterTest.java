package dev.spotbatch.queue.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.LeaseLostException;
import dev.spotbatch.queue.QueueException;
import dev.spotbatch.queue.QueueStats;
import dev.spotbatch.resilience.RetryOptions;
import dev.spotbatch.testing.ElasticMqServer;
import dev.spotbatch.testing.Samples;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SQS-specific behaviour of {@link SqsWorkQueue} beyond the contract, on ElasticMQ. */
class SqsWorkQueueAdapterTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static ElasticMqServer server;
  private SqsQueues.QueueUrls urls;
  private SqsWorkQueue queue;

  @BeforeAll
  static void startServer() {
    server = ElasticMqServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void createQueue() {
    urls = SqsQueues.ensure(server.client(), "adapter-" + UUID.randomUUID(), 3);
    queue =
        new SqsWorkQueue(
            server.client(),
            urls.queueUrl(),
            new MessageCodec(),
            Clock.fixed(NOW, ZoneOffset.UTC),
            SqsOptions.defaults());
  }

  @Test
  void setsTheLeaseDeadlineFromTheInjectedClock() {
    queue.send(List.of(Samples.item(1)));

    Lease lease = queue.lease(1, Duration.ofSeconds(2), Duration.ofSeconds(30)).get(0);

    assertThat(lease.deadline()).isEqualTo(NOW.plusSeconds(30));
    assertThat(queue.extend(lease, Duration.ofSeconds(45)).deadline())
        .isEqualTo(NOW.plusSeconds(45));
  }

  @Test
  void leavesAnUndecodableMessageForTheDeadLetterQueue() {
    server.client().sendMessage(b -> b.queueUrl(urls.queueUrl()).messageBody("{\"v\":99}")).join();
    queue.send(List.of(Samples.item(2)));

    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < 3 && leases.isEmpty(); i++) {
      leases.addAll(queue.lease(10, Duration.ofSeconds(1), Duration.ofSeconds(30)));
    }

    assertThat(leases).extracting(Lease::item).containsExactly(Samples.item(2));
    // the bad message is still there, in flight, for redrive to deal with
    assertThat(queue.stats()).isEqualTo(QueueStats.of(0, 2, 0));
  }

  @Test
  void sendsManyItemsInBatchesAndLeasesMoreThanTenAtOnce() {
    List<WorkItem> items = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      items.add(Samples.item(i));
    }
    queue.send(items);

    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < 10 && leases.size() < 45; i++) {
      List<Lease> got = queue.lease(25, Duration.ofSeconds(1), Duration.ofSeconds(30));
      assertThat(got.size()).isLessThanOrEqualTo(25);
      leases.addAll(got);
    }

    assertThat(leases).extracting(Lease::item).containsExactlyInAnyOrderElementsOf(items);
  }

  @Test
  void splitsBatchesThatWouldExceedTheSizeLimit() {
    // 5 items of ~100 KiB each cannot share one 256 KiB batch
    List<WorkItem> items = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      WorkItem base = Samples.item(i);
      items.add(
          new WorkItem(
              base.jobId(),
              base.itemId(),
              base.index(),
              base.model(),
              base.inputUri(),
              "x".repeat(100 * 1024),
              base.range(),
              base.format(),
              base.textField(),
              base.idField(),
              base.outputUri(),
              base.attempts(),
              base.maxAttempts()));
    }

    queue.send(items);

    assertThat(queue.stats().visible()).hasValue(5);
  }

  @Test
  void refusesAMessageLargerThanSqsAllows() {
    WorkItem base = Samples.item(0);
    WorkItem huge =
        new WorkItem(
            base.jobId(),
            base.itemId(),
            base.index(),
            base.model(),
            base.inputUri(),
            "x".repeat(300 * 1024),
            base.range(),
            base.format(),
            base.textField(),
            base.idField(),
            base.outputUri(),
            base.attempts(),
            base.maxAttempts());

    assertThatThrownBy(() -> queue.send(List.of(huge)))
        .isInstanceOf(QueueException.class)
        .hasMessageContaining("exceeds");
  }

  @Test
  void reportsALostLeaseWhenExtendingAMessageThatIsNoLongerInFlight() {
    queue.send(List.of(Samples.item(3)));
    Lease lease = queue.lease(1, Duration.ofSeconds(2), Duration.ofSeconds(30)).get(0);
    queue.complete(lease);

    assertThatThrownBy(() -> queue.extend(lease, Duration.ofSeconds(30)))
        .isInstanceOf(LeaseLostException.class);
  }

  @Test
  void capsTheRequeueDelayAtTheMaximum() {
    queue.send(List.of(Samples.item(4)));
    Lease lease = queue.lease(1, Duration.ofSeconds(2), Duration.ofSeconds(30)).get(0);

    queue.requeue(lease, lease.item().afterFailure(), Duration.ofHours(2));

    assertThat(queue.stats()).isEqualTo(QueueStats.of(0, 0, 1));
    assertThat(queue.maxDelay()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void failsWithAQueueErrorWhenTheQueueDoesNotExist() {
    SqsWorkQueue missing =
        new SqsWorkQueue(
            server.client(),
            server.endpoint() + "/000000000000/no-such-queue",
            new MessageCodec(),
            Clock.systemUTC(),
            SqsOptions.defaults().withRetry(RetryOptions.defaults().withMaxAttempts(2)));

    assertThatThrownBy(() -> missing.send(List.of(Samples.item(0))))
        .isInstanceOf(QueueException.class)
        .isNotInstanceOf(LeaseLostException.class);
  }

  @Test
  void validatesItsOptions() {
    assertThatThrownBy(
            () ->
                new SqsOptions(
                    Duration.ofMinutes(16),
                    SqsOptions.SQS_MAX_BATCH_BYTES,
                    RetryOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxDelay");
    assertThatThrownBy(() -> new SqsOptions(Duration.ofMinutes(1), 10, RetryOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBatchBytes");
  }

  @Test
  void createsQueuesOnlyWhenMissing() {
    SqsQueues.QueueUrls again =
        SqsQueues.ensure(server.client(), SqsWorkQueue.queueName(urls.queueUrl()), 3);

    assertThat(again.queueUrl()).isEqualTo(urls.queueUrl());
    assertThat(again.deadLetterQueueUrl()).isEqualTo(urls.deadLetterQueueUrl());
  }
}
