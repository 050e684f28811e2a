package dev.spotbatch.dispatcher.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.Fixture;
import dev.spotbatch.dispatcher.fleet.DrainReports;
import dev.spotbatch.dispatcher.job.Job;
import dev.spotbatch.dispatcher.job.JobStatus;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.memory.InMemoryEventQueue;
import dev.spotbatch.resilience.Backoff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventConsumerTest {
  @TempDir Path dir;

  @Test
  void appliesThenAcknowledgesAndSurvivesErrorsWithBackoff() throws Exception {
    Fixture f = new Fixture(dir);
    Files.createDirectories(dir.resolve("in"));
    Files.write(dir.resolve("in/d.jsonl"), new byte[10]);
    Job job = f.service.submit(f.submission("in/d.jsonl", 1024, 3));
    WorkItem item =
        f.queue.lease(1, Duration.ZERO, Duration.ofMinutes(1)).stream()
            .map(Lease::item)
            .findFirst()
            .orElseThrow();

    InMemoryEventQueue events = new InMemoryEventQueue();
    List<Duration> waits = new ArrayList<>();
    CountDownLatch slept = new CountDownLatch(1);
    int[] calls = {0};
    EventApplier flaky =
        new EventApplier(
            f.db,
            f.manifests,
            new Transactions() {
              @Override
              public <T> T inTransaction(java.util.function.Supplier<T> work) {
                if (calls[0]++ == 0) {
                  throw new IllegalStateException("database briefly unavailable");
                }
                return work.get();
              }

              @Override
              public void isolated(Runnable work) {
                work.run(); // no transaction here, so no savepoint to roll back to
              }
            },
            f.meters,
            new DrainReports(),
            null,
            e -> {});
    EventConsumer consumer =
        new EventConsumer(
            events,
            flaky,
            Backoff.exponential(Duration.ofMillis(5), Duration.ofMillis(50)),
            d -> {
              waits.add(d);
              slept.countDown();
            },
            f.clock,
            10,
            Duration.ofMillis(20),
            f.meters,
            e -> {});
    events.publish(
        List.<WorkerEvent>of(
            new ItemCompleted(
                "e1",
                job.id(),
                item.itemId(),
                item.range(),
                new PartRef(item.partPath(), 2, item.range()),
                null,
                Attempts.NONE,
                "w1",
                InstanceFacts.local("local-1"),
                f.clock.instant(),
                f.clock.instant())));

    consumer.start();
    assertThat(slept.await(5, TimeUnit.SECONDS)).isTrue();
    events
        .redeliverUnacknowledged(); // the failed batch was not acknowledged: the broker redelivers
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (f.jobs.findJob(job.id()).orElseThrow().status() != JobStatus.SUCCEEDED
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    consumer.stop(Duration.ofSeconds(2));

    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(waits).first().isEqualTo(Duration.ofMillis(5));
    assertThat(consumer.isRunning()).isFalse();
    assertThat(events.pending()).isZero();
  }
}
