package dev.spotbatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.memory.InMemoryEventQueue;
import dev.spotbatch.queue.memory.InMemoryWorkQueue;
import dev.spotbatch.testing.MutableClock;
import dev.spotbatch.worker.inference.Batchers;
import dev.spotbatch.worker.inference.EmbeddingModel;
import dev.spotbatch.worker.inference.ModelRegistry;
import dev.spotbatch.worker.inference.UnknownModelException;
import dev.spotbatch.worker.lease.AbandonReason;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ActiveItems;
import dev.spotbatch.worker.lease.Heartbeat;
import dev.spotbatch.worker.lease.ItemOutcome;
import dev.spotbatch.worker.lease.LeaseLoop;
import dev.spotbatch.worker.testing.FakeModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WorkerRuntimeTest {

  @Test
  void stopLeavesItemsStillRunningAfterTheGraceAbandonedAndNeverThrows() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    InMemoryWorkQueue queue = new InMemoryWorkQueue(clock, 10);
    queue.send(
        List.of(
            new WorkItem(
                "j",
                "i1",
                0,
                "fake",
                "s3://b/in.jsonl",
                "in.jsonl",
                new ByteRange(0, 10),
                InputFormat.JSONL,
                "text",
                "id",
                "s3://b/out/",
                Attempts.NONE,
                3)));
    ActiveItems items = new ActiveItems();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<ActiveItem> seen = new AtomicReference<>();
    LeaseLoop loop =
        new LeaseLoop(
            queue,
            1,
            Duration.ofMillis(20),
            Duration.ofSeconds(60),
            Duration.ofMillis(10),
            items,
            active -> {
              seen.set(active);
              started.countDown();
              try {
                release.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return active.isAbandoned() ? ItemOutcome.ABANDONED : ItemOutcome.COMPLETED;
            },
            clock);
    ModelRegistry models = new ModelRegistry().register("fake", FakeModel::new);
    WorkerRuntime runtime = runtime(loop, queue, items, models, clock, Duration.ofMillis(50));
    runtime.start();
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    runtime.stop();
    runtime.stop(); // idempotent

    assertThat(seen.get().abandonReason()).isEqualTo(AbandonReason.SHUTDOWN);
    assertThat(loop.isLeasing()).isFalse();
    release.countDown();
    // the item was neither completed nor re-queued: its lease is left to expire
    assertThat(queue.stats().inFlight()).hasValue(1);
  }

  @Test
  void aGracefulStopWithADrainRunsTheDrainWithTheGraceThenClosesOnce() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    InMemoryWorkQueue queue = new InMemoryWorkQueue(clock, 10);
    ActiveItems items = new ActiveItems();
    LeaseLoop loop =
        new LeaseLoop(
            queue,
            1,
            Duration.ofMillis(20),
            Duration.ofSeconds(60),
            Duration.ofMillis(10),
            items,
            active -> ItemOutcome.COMPLETED,
            clock);
    ModelRegistry models = new ModelRegistry().register("fake", FakeModel::new);
    WorkerRuntime runtime = runtime(loop, queue, items, models, clock, Duration.ofSeconds(30));
    List<Duration> drains = new java.util.ArrayList<>();
    runtime.drainWith(
        grace -> {
          drains.add(grace);
          runtime.closeClients(); // the drain closes the clients once drained
          throw new IllegalStateException("a failing step never escapes the stop chain");
        });
    runtime.start();

    runtime.stop();
    runtime.stop();
    runtime.stopNow();

    assertThat(drains).containsExactly(Duration.ofSeconds(30));
    assertThat(loop.isLeasing()).isFalse();
  }

  @Test
  void theForcedStopAbandonsRunningItemsAtOnce() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    InMemoryWorkQueue queue = new InMemoryWorkQueue(clock, 10);
    queue.send(
        List.of(
            new WorkItem(
                "j",
                "i1",
                0,
                "fake",
                "s3://b/in.jsonl",
                "in.jsonl",
                new ByteRange(0, 10),
                InputFormat.JSONL,
                "text",
                "id",
                "s3://b/out/",
                Attempts.NONE,
                3)));
    ActiveItems items = new ActiveItems();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<ActiveItem> seen = new AtomicReference<>();
    LeaseLoop loop =
        new LeaseLoop(
            queue,
            1,
            Duration.ofMillis(20),
            Duration.ofSeconds(60),
            Duration.ofMillis(10),
            items,
            active -> {
              seen.set(active);
              started.countDown();
              try {
                release.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return ItemOutcome.ABANDONED;
            },
            clock);
    ModelRegistry models = new ModelRegistry().register("fake", FakeModel::new);
    WorkerRuntime runtime = runtime(loop, queue, items, models, clock, Duration.ofMinutes(5));
    runtime.start();
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    runtime.stopNow();

    assertThat(seen.get().abandonReason()).isEqualTo(AbandonReason.SHUTDOWN);
    assertThat(loop.isLeasing()).isFalse();
    release.countDown();
  }

  @Test
  void preloadLoadsAndRunsEachModelBeforeTheWorkerStartsAndRefusesAnUnknownOne() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    InMemoryWorkQueue queue = new InMemoryWorkQueue(clock, 10);
    ActiveItems items = new ActiveItems();
    LeaseLoop loop =
        new LeaseLoop(
            queue,
            1,
            Duration.ofMillis(20),
            Duration.ofSeconds(60),
            Duration.ofMillis(10),
            items,
            active -> ItemOutcome.COMPLETED,
            clock);
    List<String> embedded = new CopyOnWriteArrayList<>();
    AtomicInteger loads = new AtomicInteger();
    ModelRegistry models =
        new ModelRegistry()
            .register(
                "fake",
                () -> {
                  loads.incrementAndGet();
                  FakeModel fake = new FakeModel();
                  return new EmbeddingModel() {
                    @Override
                    public float[][] embed(List<String> texts) {
                      embedded.addAll(texts);
                      return fake.embed(texts);
                    }

                    @Override
                    public int dimensions() {
                      return fake.dimensions();
                    }

                    @Override
                    public String name() {
                      return "fake";
                    }

                    @Override
                    public void close() {}
                  };
                });
    WorkerRuntime runtime = runtime(loop, queue, items, models, clock, Duration.ofMillis(50));

    runtime.preload(List.of("fake"));

    assertThat(loads).hasValue(1);
    assertThat(embedded).hasSize(1); // run once, so the first item does not pay for warm-up
    assertThat(loop.isLeasing()).isFalse();
    assertThatThrownBy(() -> runtime.preload(List.of("nope")))
        .isInstanceOf(UnknownModelException.class)
        .hasMessageContaining("fake");
    runtime.stop();
  }

  /** A runtime around {@code loop} with a real heartbeat and batchers, polling 20 ms. */
  private static WorkerRuntime runtime(
      LeaseLoop loop,
      InMemoryWorkQueue queue,
      ActiveItems items,
      ModelRegistry models,
      MutableClock clock,
      Duration grace) {
    Batchers batchers = new Batchers(models, 1, 4, Duration.ofMillis(1), null);
    Heartbeat heartbeat =
        new Heartbeat(
            queue,
            items,
            Duration.ofSeconds(60),
            Duration.ofSeconds(20),
            clock,
            WorkerMetrics.noop());
    return new WorkerRuntime(
        loop,
        heartbeat,
        items,
        batchers,
        models,
        queue,
        new InMemoryEventQueue(),
        Duration.ofMillis(20),
        grace);
  }
}
