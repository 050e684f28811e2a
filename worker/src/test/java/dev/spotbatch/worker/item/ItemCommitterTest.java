package dev.spotbatch.worker.item;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.event.ItemCheckpointed;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.ItemReleased;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.QueueException;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.worker.lease.AbandonReason;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ItemOutcome;
import dev.spotbatch.worker.output.PartWriter;
import dev.spotbatch.worker.testing.Fixture;
import dev.spotbatch.worker.testing.MemoryObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the committer ends a lease, driven directly with a writer the test fills. */
class ItemCommitterTest {
  static final String INPUT = "s3://data/in/docs.jsonl";
  static final String OUTPUT = "s3://data/out/";

  @TempDir Path tmp;
  MemoryObjectStore store;
  Fixture f;
  PartWriter writer;

  @BeforeEach
  void setUp() {
    store = new MemoryObjectStore();
    f = new Fixture(store, tmp, Fixture.roots("s3://data/"));
    f.queue.send(List.of(Fixture.item("i1", INPUT, 1000, OUTPUT, 0, 3)));
    writer = new PartWriter(tmp);
  }

  @AfterEach
  void tearDown() {
    writer.close();
    f.close();
  }

  /** Leases the item and writes one record at offset 0, as the pipeline does. */
  ActiveItem startedWithOneRecord() {
    ActiveItem active = f.leaseOne();
    assertThat(active.begin()).isTrue();
    assertThat(active.own()).isTrue();
    writer.write("a", new float[] {1f, 0.5f});
    active.progressed(1, 0, 40);
    return active;
  }

  @Test
  void completesTheLeaseAfterThePartAndTheEvent() {
    ActiveItem active = startedWithOneRecord();

    assertThat(f.committer(f.events).complete(active, writer)).isEqualTo(ItemOutcome.COMPLETED);

    WorkItemParts parts = new WorkItemParts(active);
    assertThat(store.text(parts.whole())).isPresent();
    assertThat(f.drainEvents()).singleElement().isInstanceOf(ItemCompleted.class);
    assertThat(f.queue.stats().total()).isZero();
  }

  @Test
  void aLeaseLostAfterItsEventIsPublishedStillEndsCompleted() {
    ActiveItem active = startedWithOneRecord();
    EventQueue losing =
        new PublishHook(
            f.events,
            () -> { // the lease runs out meanwhile and another worker takes the item
              f.clock.advance(Fixture.LEASE_TIME);
              assertThat(f.queue.lease(1, Duration.ZERO, Fixture.LEASE_TIME)).hasSize(1);
            });

    assertThat(f.committer(losing).complete(active, writer)).isEqualTo(ItemOutcome.COMPLETED);

    assertThat(f.drainEvents()).singleElement().isInstanceOf(ItemCompleted.class);
  }

  @Test
  void commitsNothingOnceTheLeaseIsGone() {
    ActiveItem active = startedWithOneRecord();
    active.abandon(AbandonReason.LEASE_LOST);

    assertThat(f.committer(f.events).complete(active, writer)).isEqualTo(ItemOutcome.ABANDONED);
    assertThat(f.committer(f.events).checkpointOrHandBack(active, writer))
        .isEqualTo(ItemOutcome.ABANDONED);

    assertThat(store.text(new WorkItemParts(active).whole())).isEmpty();
    assertThat(store.text(new WorkItemParts(active).upTo(40))).isEmpty();
    assertThat(f.drainEvents()).isEmpty();
  }

  @Test
  void aCheckpointCommitsWhatIsWrittenAndRequeuesTheRestAsAContinuation() {
    ActiveItem active = startedWithOneRecord();

    assertThat(f.committer(f.events).checkpointOrHandBack(active, writer))
        .isEqualTo(ItemOutcome.CHECKPOINTED);

    assertThat(store.text(new WorkItemParts(active).upTo(40))).isPresent();
    ItemCheckpointed cp = (ItemCheckpointed) f.drainEvents().get(0);
    assertThat(cp.remaining().start()).isEqualTo(40);
    Lease rest = f.queue.lease(1, Duration.ZERO, Fixture.LEASE_TIME).get(0);
    assertThat(rest.item().range().start()).isEqualTo(40);
    assertThat(rest.item().attempts()).isEqualTo(new Attempts(0, 1));
  }

  @Test
  void aCheckpointThatCannotBeReportedIsLeftToItsLeaseAndNeverCountsAsAFailure() {
    ActiveItem active = startedWithOneRecord();
    EventQueue broken =
        new PublishHook(
            f.events,
            () -> {
              throw new QueueException("events down (test)");
            });

    assertThat(f.committer(broken).checkpointOrHandBack(active, writer))
        .isEqualTo(ItemOutcome.ABANDONED);

    assertThat(active.abandonReason()).isEqualTo(AbandonReason.SHUTDOWN);
    assertThat(f.drainEvents()).isEmpty();
    assertThat(f.queue.stats().inFlight()).hasValue(1);
    f.clock.advance(Fixture.LEASE_TIME);
    assertThat(f.queue.lease(1, Duration.ZERO, Fixture.LEASE_TIME))
        .singleElement()
        .satisfies(l -> assertThat(l.item().attempts()).isEqualTo(Attempts.NONE));
  }

  @Test
  void anItemToldToStopWithNothingWrittenIsHandedBackWholeAsAnInterruption() {
    ActiveItem active = f.leaseOne();
    assertThat(active.begin()).isTrue();

    assertThat(f.committer(f.events).checkpointOrHandBack(active, writer))
        .isEqualTo(ItemOutcome.HANDED_BACK);

    assertThat(f.drainEvents())
        .singleElement()
        .isInstanceOfSatisfying(
            ItemReleased.class,
            r -> assertThat(r.reason()).isEqualTo(ItemReleased.ReleaseReason.HANDED_BACK));
    Lease back = f.queue.lease(1, Duration.ZERO, Fixture.LEASE_TIME).get(0);
    assertThat(back.item().range()).isEqualTo(active.lease().item().range());
    assertThat(back.item().attempts()).isEqualTo(new Attempts(0, 1));
  }

  @Test
  void leavesALeaseTheDrainTookBackAlone() {
    ActiveItem active = f.leaseOne();
    assertThat(active.begin()).isTrue();
    assertThat(active.takeBack()).isTrue();

    assertThat(f.committer(f.events).checkpointOrHandBack(active, writer))
        .isEqualTo(ItemOutcome.HANDED_BACK);
    assertThat(f.committer(f.events).failed(active, "model exploded"))
        .isEqualTo(ItemOutcome.HANDED_BACK);

    assertThat(f.drainEvents()).isEmpty();
    assertThat(f.queue.stats().inFlight()).hasValue(1); // the drain ends it
  }

  @Test
  void aRefusedItemFailsForGoodWithItsFailuresLeft() {
    ActiveItem active = f.leaseOne();
    assertThat(active.begin()).isTrue();

    assertThat(f.committer(f.events).refused(active, "output outside the allowed roots"))
        .isEqualTo(ItemOutcome.FAILED);

    ItemFailed failed = (ItemFailed) f.drainEvents().get(0);
    assertThat(failed.terminal()).isTrue();
    assertThat(failed.attempts().failures()).isEqualTo(1);
    assertThat(f.queue.stats().total()).isZero();
  }

  /** The part paths of the active item under the output. */
  record WorkItemParts(ActiveItem active) {
    StoreUri whole() {
      return StoreUri.parse(OUTPUT + active.lease().item().partPath());
    }

    StoreUri upTo(long offset) {
      return StoreUri.parse(OUTPUT + active.lease().item().partPath(offset));
    }
  }

  /** Runs a hook (which may throw, as an outage does), then publishes to a real event queue. */
  record PublishHook(EventQueue delegate, Runnable first) implements EventQueue {
    @Override
    public void publish(List<WorkerEvent> events) {
      first.run();
      delegate.publish(events);
    }

    @Override
    public List<EventDelivery> receive(int max, Duration wait) {
      return delegate.receive(max, wait);
    }

    @Override
    public void acknowledge(List<EventDelivery> deliveries) {
      delegate.acknowledge(deliveries);
    }

    @Override
    public void close() {}
  }
}
