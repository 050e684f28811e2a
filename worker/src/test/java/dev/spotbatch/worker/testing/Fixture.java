package dev.spotbatch.worker.testing;

import dev.spotbatch.event.ItemStarted;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.memory.InMemoryEventQueue;
import dev.spotbatch.queue.memory.InMemoryWorkQueue;
import dev.spotbatch.resilience.Backoff;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.testing.MutableClock;
import dev.spotbatch.worker.WorkerMetrics;
import dev.spotbatch.worker.inference.Batchers;
import dev.spotbatch.worker.inference.ModelRegistry;
import dev.spotbatch.worker.item.CancelledJobs;
import dev.spotbatch.worker.item.ChunkPipeline;
import dev.spotbatch.worker.item.EventFactory;
import dev.spotbatch.worker.item.ItemCommitter;
import dev.spotbatch.worker.item.ItemProcessor;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ActiveItems;
import dev.spotbatch.worker.lease.LeaseTesting;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A worker core on the in-memory queues, a fake model and a given object store. */
public final class Fixture implements AutoCloseable {
  public static final Duration LEASE_TIME = Duration.ofSeconds(60);
  public static final Duration BASE_DELAY = Duration.ofSeconds(5);

  public final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  public final InMemoryWorkQueue memoryQueue = new InMemoryWorkQueue(clock, 10);
  public final DelegatingWorkQueue queue = new DelegatingWorkQueue(memoryQueue);
  public final InMemoryEventQueue events = new InMemoryEventQueue();
  public final FakeModel model = new FakeModel();
  public final ModelRegistry registry = new ModelRegistry().register("fake", () -> model);
  public final Batchers batchers = new Batchers(registry, 1, 4, Duration.ofMillis(1), null);
  public final ActiveItems items = new ActiveItems();
  public final WorkerMetrics metrics = WorkerMetrics.noop();
  public final Backoff backoff =
      Backoff.exponential(BASE_DELAY, Duration.ofMinutes(15)).cappedAt(queue.maxDelay());
  public final EventFactory eventFactory =
      new EventFactory("worker-1", InstanceFacts.local("worker-1"), clock, clock.instant(), null);
  public final ObjectStore store;

  /** Looks for cancel markers in the fixture's store at every check (no caching). */
  public final CancelledJobs cancelledJobs;

  public final Path tempDir;
  public final StorageRoots roots;
  public final ItemProcessor processor;

  public Fixture(ObjectStore store, Path tempDir, StorageRoots roots) {
    this.store = store;
    this.cancelledJobs = new CancelledJobs(store, clock, Duration.ZERO);
    this.tempDir = tempDir;
    this.roots = roots;
    this.processor = processor(committer(events));
  }

  /** An item's end on this fixture's work queue, store and backoff, publishing to {@code to}. */
  public ItemCommitter committer(EventQueue to) {
    return new ItemCommitter(queue, to, store, eventFactory, backoff, clock, metrics);
  }

  /**
   * A processor on this fixture's model, store and roots that ends items with {@code committer}.
   */
  public ItemProcessor processor(ItemCommitter committer) {
    return new ItemProcessor(
        committer,
        new ChunkPipeline(store, clock, metrics, cancelledJobs),
        batchers,
        roots,
        tempDir);
  }

  /** The roots a test's items may use. */
  public static StorageRoots roots(String... roots) {
    return StorageRoots.of("spotbatch.worker.allowed-roots", List.of(roots));
  }

  public static WorkItem item(
      String id, String input, long end, String output, int failures, int maxAttempts) {
    return new WorkItem(
        "job-1",
        id,
        3,
        "fake",
        input,
        "docs.jsonl",
        new ByteRange(0, end),
        InputFormat.JSONL,
        "text",
        "id",
        output,
        new Attempts(failures, 0),
        maxAttempts);
  }

  /** Leases one item and registers it as active, as the lease loop does. */
  public ActiveItem leaseOne() {
    List<Lease> leases = queue.lease(1, Duration.ZERO, LEASE_TIME);
    if (leases.size() != 1) {
      throw new AssertionError("expected one lease, got " + leases.size());
    }
    return LeaseTesting.start(items, leases.get(0), clock);
  }

  /** The events published since the last call, but {@link ItemStarted}s. */
  public List<WorkerEvent> drainEvents() {
    return drainAllEvents().stream().filter(e -> !(e instanceof ItemStarted)).toList();
  }

  /** Every event published since the last call. */
  public List<WorkerEvent> drainAllEvents() {
    return events.receive(100, Duration.ZERO).stream().map(EventDelivery::event).toList();
  }

  @Override
  public void close() {
    batchers.close(Duration.ofSeconds(1));
  }
}
