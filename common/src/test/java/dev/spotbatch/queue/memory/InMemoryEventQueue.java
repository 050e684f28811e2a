package dev.spotbatch.queue.memory;

import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.EventQueue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An {@link EventQueue} held in memory: events received but not acknowledged are delivered again
 * after {@link #redeliverUnacknowledged()}. Thread-safe.
 */
public final class InMemoryEventQueue implements EventQueue {
  private final Deque<WorkerEvent> ready = new ArrayDeque<>();
  private final Map<String, WorkerEvent> unacked = new LinkedHashMap<>();
  private boolean closed;

  @Override
  public synchronized void publish(List<WorkerEvent> events) {
    ready.addAll(events);
    notifyAll();
  }

  @Override
  public synchronized List<EventDelivery> receive(int max, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (ready.isEmpty() && !closed) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return List.of();
      }
      try {
        wait(Math.max(1, remaining / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
    }
    List<EventDelivery> out = new ArrayList<>();
    while (!ready.isEmpty() && out.size() < max) {
      WorkerEvent e = ready.poll();
      String handle = UUID.randomUUID().toString();
      unacked.put(handle, e);
      out.add(new EventDelivery(e, handle));
    }
    return out;
  }

  @Override
  public synchronized void acknowledge(List<EventDelivery> deliveries) {
    deliveries.forEach(d -> unacked.remove(d.handle()));
  }

  /** Puts every received-but-unacknowledged event back (what a broker does on timeout). */
  public synchronized void redeliverUnacknowledged() {
    ready.addAll(unacked.values());
    unacked.clear();
    notifyAll();
  }

  /** Events published and not yet received. */
  public synchronized int pending() {
    return ready.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
    notifyAll();
  }
}
