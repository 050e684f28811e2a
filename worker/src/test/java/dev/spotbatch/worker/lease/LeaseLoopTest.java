package dev.spotbatch.worker.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.worker.testing.Fixture;
import dev.spotbatch.worker.testing.MemoryObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseLoopTest {
  static final String INPUT = "s3://data/in/docs.jsonl";
  static final String OUTPUT = "s3://data/out/";

  @TempDir Path tmp;
  MemoryObjectStore store;
  Fixture f;
  LeaseLoop loop;

  @BeforeEach
  void setUp() {
    store = new MemoryObjectStore();
    store.add(StoreUri.parse(INPUT), "{\"id\":\"a\",\"text\":\"hello\"}\n");
    f = new Fixture(store, tmp, Fixture.roots("s3://data/"));
  }

  @AfterEach
  void tearDown() {
    if (loop != null) {
      loop.stopLeasing(Duration.ofSeconds(2));
      loop.awaitRunning(Duration.ofSeconds(2));
    }
    f.close();
  }

  @Test
  void neverLeasesMoreThanItsFreeSlots() throws Exception {
    List<dev.spotbatch.model.WorkItem> work = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      work.add(Fixture.item("i" + i, INPUT, 1000, OUTPUT, 0, 3));
    }
    f.queue.send(work);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    loop =
        new LeaseLoop(
            f.queue,
            2,
            Duration.ofMillis(50),
            Fixture.LEASE_TIME,
            Duration.ofMillis(10),
            f.items,
            active -> {
              maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
              try {
                release.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              running.decrementAndGet();
              done.incrementAndGet();
              f.queue.complete(active.lease());
              return ItemOutcome.COMPLETED;
            },
            f.clock);
    loop.start();

    await(() -> f.items.size() == 2);
    assertThat(f.queue.leased.get()).isEqualTo(2);
    assertThat(f.queue.stats().visible()).hasValue(3);
    release.countDown();
    await(() -> done.get() == 5);

    assertThat(f.queue.maxLeaseRequest.get()).isLessThanOrEqualTo(2);
    assertThat(maxRunning.get()).isLessThanOrEqualTo(2);
    assertThat(f.queue.leased.get()).isEqualTo(5);
  }

  @Test
  void processesLeasedItemsEndToEndThroughTheProcessor() throws Exception {
    f.queue.send(
        List.of(
            Fixture.item("i1", INPUT, 1000, OUTPUT, 0, 3),
            Fixture.item("i2", INPUT, 1000, "s3://data/out2/", 0, 3)));
    loop =
        new LeaseLoop(
            f.queue,
            2,
            Duration.ofMillis(50),
            Fixture.LEASE_TIME,
            Duration.ofMillis(10),
            f.items,
            f.processor::process,
            f.clock);
    loop.start();

    await(() -> f.queue.stats().total() == 0);
    assertThat(f.drainEvents()).hasSize(2).allMatch(e -> e instanceof ItemCompleted);
    await(() -> f.items.size() == 0);
  }

  @Test
  void stopsLeasingOnStop() throws Exception {
    loop =
        new LeaseLoop(
            f.queue,
            2,
            Duration.ofMillis(50),
            Fixture.LEASE_TIME,
            Duration.ofMillis(10),
            f.items,
            f.processor::process,
            f.clock);
    loop.start();
    loop.stopLeasing(Duration.ofSeconds(2));
    assertThat(loop.isLeasing()).isFalse();
    f.queue.send(List.of(Fixture.item("i1", INPUT, 1000, OUTPUT, 0, 3)));
    assertThat(loop.awaitRunning(Duration.ofSeconds(1))).isTrue();
    assertThat(f.queue.stats().visible()).hasValue(1);
  }

  /** Waits for a condition that other threads make true (synchronisation, not timing logic). */
  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(5);
    }
  }
}
