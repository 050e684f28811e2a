package dev.spotbatch.queue.memory;

import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.LeaseLostException;
import dev.spotbatch.queue.QueueStats;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.queue.WorkSubmitter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Both ends of a work queue ({@link WorkSubmitter} and {@link WorkSource}) held in memory, for
 * tests, with SQS semantics: a lease is a visibility timeout, each delivery gets a fresh handle
 * (old handles are lost leases), and a message delivered more than {@code maxReceiveCount} times
 * without completion moves to a dead-letter list. Time comes from the injected {@link Clock}, so
 * tests can move it forward. Thread-safe.
 */
public final class InMemoryWorkQueue implements WorkSubmitter, WorkSource {
  private static final Duration POLL = Duration.ofMillis(20);

  private final Clock clock;
  private final int maxReceiveCount;
  private final Map<String, Message> messages = new LinkedHashMap<>();
  private final List<WorkItem> deadLetters = new ArrayList<>();
  private boolean closed;

  /** A message on the queue; mutable, guarded by the queue's monitor. */
  private static final class Message {
    final String id = UUID.randomUUID().toString();
    final WorkItem item;
    Instant visibleAt;
    String handle;
    int deliveries;
    boolean everDelivered; // invisible and never delivered = delayed (a requeue with a delay)

    Message(WorkItem item, Instant visibleAt) {
      this.item = item;
      this.visibleAt = visibleAt;
    }
  }

  public InMemoryWorkQueue(Clock clock, int maxReceiveCount) {
    if (maxReceiveCount < 1) {
      throw new IllegalArgumentException("maxReceiveCount must be >= 1");
    }
    this.clock = clock;
    this.maxReceiveCount = maxReceiveCount;
  }

  public InMemoryWorkQueue() {
    this(Clock.systemUTC(), 10);
  }

  @Override
  public synchronized void send(List<WorkItem> items) {
    Instant now = clock.instant();
    for (WorkItem item : items) {
      Message m = new Message(item, now);
      messages.put(m.id, m);
    }
    notifyAll();
  }

  @Override
  public synchronized List<Lease> lease(int max, Duration wait, Duration leaseTime) {
    if (max < 1) {
      return List.of();
    }
    long deadlineNanos = System.nanoTime() + wait.toNanos();
    while (true) {
      List<Lease> leased = take(max, leaseTime);
      long remaining = deadlineNanos - System.nanoTime();
      if (!leased.isEmpty() || remaining <= 0 || closed) {
        return leased;
      }
      try {
        wait(Math.max(1, Math.min(POLL.toMillis(), remaining / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
    }
  }

  private List<Lease> take(int max, Duration leaseTime) {
    Instant now = clock.instant();
    List<Lease> out = new ArrayList<>();
    var it = messages.values().iterator();
    while (it.hasNext() && out.size() < max) {
      Message m = it.next();
      if (m.visibleAt.isAfter(now)) {
        continue;
      }
      if (m.everDelivered && m.deliveries >= maxReceiveCount) {
        it.remove();
        deadLetters.add(m.item);
        continue;
      }
      m.deliveries++;
      m.everDelivered = true;
      m.handle = m.id + "#" + m.deliveries;
      m.visibleAt = now.plus(leaseTime);
      out.add(new Lease(m.item, m.handle, m.visibleAt, m.deliveries));
    }
    return out;
  }

  @Override
  public synchronized Lease extend(Lease lease, Duration leaseTime) {
    Message m = held(lease);
    m.visibleAt = clock.instant().plus(leaseTime);
    return lease.withDeadline(m.visibleAt);
  }

  @Override
  public synchronized void complete(Lease lease) {
    Message m = held(lease);
    messages.remove(m.id);
  }

  @Override
  public synchronized void requeue(Lease lease, WorkItem next, Duration delay) {
    Message old = held(lease);
    Message m = new Message(next, clock.instant().plus(min(delay, maxDelay())));
    messages.put(m.id, m);
    messages.remove(old.id);
    notifyAll();
  }

  @Override
  public synchronized QueueStats stats() {
    Instant now = clock.instant();
    long visible = 0;
    long inFlight = 0;
    long delayed = 0;
    for (Message m : messages.values()) {
      if (!m.visibleAt.isAfter(now)) {
        visible++;
      } else if (m.everDelivered) {
        inFlight++;
      } else {
        delayed++;
      }
    }
    return QueueStats.of(visible, inFlight, delayed);
  }

  @Override
  public Duration maxDelay() {
    return Duration.ofMinutes(15);
  }

  /** Items that exceeded the receive count (the dead-letter queue backstop). */
  public synchronized List<WorkItem> deadLetters() {
    return List.copyOf(deadLetters);
  }

  @Override
  public synchronized void close() {
    closed = true;
    notifyAll();
  }

  private Message held(Lease lease) {
    String id = lease.handle().substring(0, lease.handle().indexOf('#'));
    Message m = messages.get(id);
    if (m == null || !lease.handle().equals(m.handle) || !m.visibleAt.isAfter(clock.instant())) {
      throw new LeaseLostException("lease on item " + lease.item().itemId() + " is no longer held");
    }
    return m;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
