package dev.spotbatch.worker.item;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.event.FailureCause;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.ItemReleased;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.worker.lease.AbandonReason;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ItemOutcome;
import dev.spotbatch.worker.testing.Fixture;
import dev.spotbatch.worker.testing.MemoryObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemProcessorFailureTest {
  static final String INPUT = "s3://data/in/docs.jsonl";
  static final String OUTPUT = "s3://data/out/";

  @TempDir Path tmp;
  MemoryObjectStore store;
  Fixture f;

  @BeforeEach
  void setUp() {
    store = new MemoryObjectStore();
    store.add(
        StoreUri.parse(INPUT),
        "{\"id\":\"a\",\"text\":\"hello\"}\n{\"id\":\"b\",\"text\":\"hi\"}\n");
    f = new Fixture(store, tmp, Fixture.roots("s3://data/"));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void completesTheLeaseOnlyAfterThePartIsWrittenAndTheEventPublished() {
    f.queue.send(List.of(Fixture.item("i1", INPUT, 1000, OUTPUT, 0, 3)));
    ActiveItem active = f.leaseOne();

    assertThat(f.processor.process(active)).isEqualTo(ItemOutcome.COMPLETED);

    assertThat(store.text(StoreUri.parse(OUTPUT + active.lease().item().partPath()))).isPresent();
    List<WorkerEvent> events = f.drainEvents();
    assertThat(events).singleElement().isInstanceOf(ItemCompleted.class);
    ItemCompleted done = (ItemCompleted) events.get(0);
    assertThat(done.part().records()).isEqualTo(2);
    assertThat(done.part().path()).isEqualTo("part-000003-00000000000000-00000000001000.jsonl");
    assertThat(done.errorPart()).isNull();
    assertThat(done.workerId()).isEqualTo("worker-1");
    assertThat(f.queue.stats().total()).isZero();
  }

  @Test
  void leavesTheItemUncompletedWhenThePartCannotBeWritten() {
    store.failPuts = true;
    f.queue.send(List.of(Fixture.item("i1", INPUT, 1000, OUTPUT, 0, 3)));
    ActiveItem active = f.leaseOne();

    assertThat(f.processor.process(active)).isEqualTo(ItemOutcome.RETRYING);

    assertThat(f.drainEvents()).noneMatch(e -> e instanceof ItemCompleted);
    assertThat(f.queue.stats().total()).isEqualTo(1);
  }

  @Test
  void waitsOutAStoreOutageWithoutCountingAFailure() {
    store.down = true;
    f.queue.send(List.of(Fixture.item("i1", INPUT, 1000, OUTPUT, 2, 3))); // its last attempt
    ActiveItem active = f.leaseOne();

    assertThat(f.processor.process(active)).isEqualTo(ItemOutcome.DEFERRED);

    assertThat(f.drainEvents())
        .singleElement()
        .isInstanceOfSatisfying(
            ItemReleased.class,
            r -> assertThat(r.reason()).isEqualTo(ItemReleased.ReleaseReason.OUTAGE));
    assertThat(f.queue.stats().delayed()).isEqualTo(1);
    f.clock.advance(Fixture.BASE_DELAY.multipliedBy(2));
    store.down = false;
    Lease again = f.queue.lease(1, Duration.ZERO, Fixture.LEASE_TIME).get(0);
    assertThat(again.item().attempts()).isEqualTo(new Attempts(2, 0)); // nothing counted
  }

  @Test
  void leavesTheLeaseToExpireWhenNoEventCanBePublished() {
    f.queue.send(List.of(Fixture.item("i1", INPUT, 1000, OUTPUT, 0, 3)));
    ActiveItem active = f.leaseOne();
    f.events.close();
    dev.spotbatch.queue.EventQueue broken =
        new dev.spotbatch.queue.EventQueue() {
          @Override
          public void publish(List<WorkerEvent> events) {
            throw new dev.spotbatch.queue.QueueException("events down (test)");
          }

          @Override
          public List<dev.spotbatch.queue.EventDelivery> receive(int max, Duration wait) {
            return List.of();
          }

          @Override
          public void acknowledge(List<dev.spotbatch.queue.EventDelivery> d) {}

          @Override
          public void close() {}
        };
    ItemProcessor processor = f.processor(f.committer(broken));

    assertThat(processor.process(active)).isEqualTo(ItemOutcome.LEFT_TO_EXPIRE);

    assertThat(f.queue.stats().inFlight()).hasValue(1);
    f.clock.advance(Fixture.LEASE_TIME);
    assertThat(f.queue.lease(1, Duration.ZERO, Fixture.LEASE_TIME)).hasSize(1);
  }

  @Test
  void requeuesAFailureWithTheBackoffAndOneMoreFailure() {
    f.queue.send(List.of(Fixture.item("i1", "s3://data/in/missing.jsonl", 1000, OUTPUT, 0, 3)));
    ActiveItem active = f.leaseOne();

    assertThat(f.processor.process(active)).isEqualTo(ItemOutcome.RETRYING);

    ItemFailed failed = (ItemFailed) f.drainEvents().get(0);
    assertThat(failed.terminal()).isFalse();
    assertThat(failed.attempts().failures()).isEqualTo(1);
    assertThat(failed.reason()).contains("missing.jsonl");
    assertThat(f.queue.stats().delayed()).isEqualTo(1);
    f.clock.advance(Fixture.BASE_DELAY.minusMillis(1));
    assertThat(f.queue.lease(1, Duration.ZERO, Fixture.LEASE_TIME)).isEmpty();
    f.clock.advance(Duration.ofMillis(1));
    List<Lease> again = f.queue.lease(1, Duration.ZERO, Fixture.LEASE_TIME);
    assertThat(again)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.item().attempts().failures()).isEqualTo(1);
              assertThat(l.item().itemId()).isEqualTo("i1");
            });
  }

  @Test
  void retriesAModelFailure() {
    f.model.fail = true;
    f.queue.send(List.of(Fixture.item("i1", INPUT, 1000, OUTPUT, 0, 3)));

    assertThat(f.processor.process(f.leaseOne())).isEqualTo(ItemOutcome.RETRYING);

    ItemFailed failed = (ItemFailed) f.drainEvents().get(0);
    assertThat(failed.reason()).contains("fake model failure");
  }

  @Test
  void reportsATerminalFailureAfterMaxAttempts() {
    f.queue.send(List.of(Fixture.item("i1", "s3://data/in/missing.jsonl", 1000, OUTPUT, 2, 3)));

    assertThat(f.processor.process(f.leaseOne())).isEqualTo(ItemOutcome.FAILED);

    ItemFailed failed = (ItemFailed) f.drainEvents().get(0);
    assertThat(failed.terminal()).isTrue();
    assertThat(failed.attempts().failures()).isEqualTo(3);
    assertThat(f.queue.stats().total()).isZero();
  }

  @Test
  void failsTerminallyAnItemOutsideTheAllowedRoots() {
    f.queue.send(List.of(Fixture.item("i1", INPUT, 1000, "s3://elsewhere/out/", 0, 3)));

    assertThat(f.processor.process(f.leaseOne())).isEqualTo(ItemOutcome.FAILED);

    ItemFailed failed = (ItemFailed) f.drainEvents().get(0);
    assertThat(failed.terminal()).isTrue();
    assertThat(failed.reason()).contains("s3://elsewhere/out/").contains("allowed storage roots");
    assertThat(failed.cause()).isEqualTo(FailureCause.ITEM); // this item's locations alone
    assertThat(f.queue.stats().total()).isZero();
  }

  @Test
  void anUnknownModelFailsTheItemForGoodAndTellsTheDispatcherToEndTheJob() {
    var item = Fixture.item("i1", INPUT, 1000, OUTPUT, 0, 3);
    f.queue.send(
        List.of(
            new dev.spotbatch.model.WorkItem(
                item.jobId(),
                item.itemId(),
                0,
                "no-such-model",
                item.inputUri(),
                item.inputName(),
                item.range(),
                item.format(),
                item.textField(),
                item.idField(),
                item.outputUri(),
                item.attempts(),
                item.maxAttempts())));

    assertThat(f.processor.process(f.leaseOne())).isEqualTo(ItemOutcome.FAILED);

    ItemFailed failed = (ItemFailed) f.drainEvents().get(0);
    assertThat(failed.reason()).contains("no-such-model");
    assertThat(failed.terminal()).isTrue();
    assertThat(failed.attempts().failures()).isEqualTo(1); // not after maxAttempts retries
    assertThat(failed.cause()).isEqualTo(FailureCause.MODEL_UNUSABLE);
    assertThat(failed.cause().endsJob()).isTrue();
    assertThat(f.queue.stats().total()).isZero();
  }

  @Test
  void neverCommitsAnAbandonedItem() {
    f.queue.send(List.of(Fixture.item("i1", INPUT, 1000, OUTPUT, 0, 3)));
    ActiveItem active = f.leaseOne();
    active.abandon(AbandonReason.LEASE_LOST);

    assertThat(f.processor.process(active)).isEqualTo(ItemOutcome.ABANDONED);

    assertThat(f.drainEvents()).isEmpty();
    assertThat(store.text(StoreUri.parse(OUTPUT + active.lease().item().partPath()))).isEmpty();
  }

  @Test
  void stopsWaitingForTheModelOnceTheItemIsAbandoned() throws Exception {
    f.model.entered = new java.util.concurrent.CountDownLatch(1);
    f.model.gate = new java.util.concurrent.CountDownLatch(1);
    f.queue.send(List.of(Fixture.item("i1", INPUT, 1000, OUTPUT, 0, 3)));
    ActiveItem active = f.leaseOne();
    var result =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> f.processor.process(active));
    assertThat(f.model.entered.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    active.abandon(AbandonReason.LEASE_LOST);

    assertThat(result.get(5, java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(ItemOutcome.ABANDONED);
    f.model.gate.countDown();
    assertThat(f.drainEvents()).isEmpty();
    assertThat(store.text(StoreUri.parse(OUTPUT + active.lease().item().partPath()))).isEmpty();
  }
}
