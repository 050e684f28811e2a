package dev.spotbatch.worker.lease;

import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.EventDelivery;
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
import dev.spotbatch.worker.testing.DelegatingWorkQueue;
import dev.spotbatch.worker.testing.FakeModel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A worker core on the in-memory queues, a fake model and a given object store. */
final class Fixture implements AutoCloseable {
  static final Duration LEASE_TIME = Duration.ofSeconds(60);
  static final Duration BASE_DELAY = Duration.ofSeconds(5);

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final InMemoryWorkQueue memoryQueue = new InMemoryWorkQueue(clock, 10);
  final DelegatingWorkQueue queue = new DelegatingWorkQueue(memoryQueue);
  final InMemoryEventQueue events = new InMemoryEventQueue();
  final FakeModel model = new FakeModel();
  final ModelRegistry registry = new ModelRegistry().register("fake", () -> model);
  final Batchers batchers = new Batchers(registry, 1, 4, Duration.ofMillis(1), null);
  final ActiveItems items = new ActiveItems();
  final WorkerMetrics metrics = WorkerMetrics.noop();
  final Backoff backoff =
      Backoff.exponential(BASE_DELAY, Duration.ofMinutes(15)).cappedAt(queue.maxDelay());
  final ObjectStore store;
  final ItemProcessor processor;

  Fixture(ObjectStore store, Path tempDir, StorageRoots roots) {
    this.store = store;
    this.processor =
        new ItemProcessor(
            queue,
            events,
            store,
            batchers,
            roots,
            backoff,
            clock,
            "worker-1",
            InstanceFacts.local("worker-1"),
            tempDir,
            metrics);
  }

  /** The roots a test's items may use. */
  static StorageRoots roots(String... roots) {
    return StorageRoots.of("spotbatch.worker.allowed-roots", List.of(roots));
  }

  static WorkItem item(
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
  ActiveItem leaseOne() {
    List<Lease> leases = queue.lease(1, Duration.ZERO, LEASE_TIME);
    if (leases.size() != 1) {
      throw new AssertionError("expected one lease, got " + leases.size());
    }
    return items.start(leases.get(0), clock.instant());
  }

  List<WorkerEvent> drainEvents() {
    return events.receive(100, Duration.ZERO).stream().map(EventDelivery::event).toList();
  }

  @Override
  public void close() {
    batchers.close(Duration.ofSeconds(1));
  }
}
