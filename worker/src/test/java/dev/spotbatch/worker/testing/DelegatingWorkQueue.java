package dev.spotbatch.worker.testing;

import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.QueueException;
import dev.spotbatch.queue.QueueStats;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.queue.WorkSubmitter;
import dev.spotbatch.queue.memory.InMemoryWorkQueue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps an in-memory queue (both its ends) to record lease sizes, to make extensions fail on demand
 * and to run a hook before each lease call and after each re-queue (a hand-back is a re-queue).
 */
public final class DelegatingWorkQueue implements WorkSubmitter, WorkSource {
  private final InMemoryWorkQueue delegate;
  public final AtomicInteger maxLeaseRequest = new AtomicInteger();
  public final AtomicInteger leased = new AtomicInteger();
  public volatile boolean failExtend;
  public volatile Runnable beforeLease = () -> {};
  public volatile Runnable afterRequeue = () -> {};

  public DelegatingWorkQueue(InMemoryWorkQueue delegate) {
    this.delegate = delegate;
  }

  @Override
  public void send(List<WorkItem> items) {
    delegate.send(items);
  }

  @Override
  public List<Lease> lease(int max, Duration wait, Duration leaseTime) {
    maxLeaseRequest.accumulateAndGet(max, Math::max);
    beforeLease.run();
    List<Lease> out = delegate.lease(max, wait, leaseTime);
    leased.addAndGet(out.size());
    return out;
  }

  @Override
  public Lease extend(Lease lease, Duration leaseTime) {
    if (failExtend) {
      throw new QueueException("broker unreachable (test)");
    }
    return delegate.extend(lease, leaseTime);
  }

  @Override
  public void complete(Lease lease) {
    delegate.complete(lease);
  }

  @Override
  public void requeue(Lease lease, WorkItem next, Duration delay) {
    delegate.requeue(lease, next, delay);
    afterRequeue.run();
  }

  @Override
  public QueueStats stats() {
    return delegate.stats();
  }

  @Override
  public Duration maxDelay() {
    return delegate.maxDelay();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
