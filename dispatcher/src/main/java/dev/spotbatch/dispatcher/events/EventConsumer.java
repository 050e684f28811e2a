package dev.spotbatch.dispatcher.events;

import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.resilience.Backoff;
import dev.spotbatch.resilience.Sleeper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named background thread that receives worker events, applies each batch in one transaction and
 * only then acknowledges it. Errors are logged and followed by a backoff; the loop continues.
 * {@link #stop()} ends it cleanly. Each consumed event is also shown to an observer (the fleet's
 * per-worker leases).
 */
public class EventConsumer {
  private static final Logger log = LoggerFactory.getLogger(EventConsumer.class);

  private final EventQueue events;
  private final EventApplier applier;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final Clock clock;
  private final int batchSize;
  private final Duration wait;
  private final Timer lag;
  private final Consumer<WorkerEvent> observer;
  private volatile boolean running;
  private volatile Instant caughtUpAt; // null until a poll found no more than it could take
  private Thread thread;

  public EventConsumer(
      EventQueue events,
      EventApplier applier,
      Backoff backoff,
      Sleeper sleeper,
      Clock clock,
      int batchSize,
      Duration wait,
      MeterRegistry meters,
      Consumer<WorkerEvent> observer) {
    this.events = events;
    this.applier = applier;
    this.backoff = backoff;
    this.sleeper = sleeper;
    this.clock = clock;
    this.batchSize = batchSize;
    this.wait = wait;
    this.lag = meters.timer("spotbatch.events.lag");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    thread = new Thread(this::loop, "spotbatch-event-consumer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops after the current batch; waits up to {@code timeout}. Never throws. */
  public synchronized void stop(Duration timeout) {
    running = false;
    Thread t = thread;
    thread = null;
    if (t == null) {
      return;
    }
    try {
      t.join(timeout.toMillis());
      if (t.isAlive()) {
        t.interrupt();
        t.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public void stop() {
    stop(wait.plusSeconds(5));
  }

  /**
   * When a poll last returned less than a full batch: the event queue had nothing more waiting, so
   * every event published before then is applied. Empty before the first such poll. The reconciler
   * waits for it: an item whose completion is still on the event queue is not lost.
   */
  public Optional<Instant> caughtUpAt() {
    return Optional.ofNullable(caughtUpAt);
  }

  public boolean isRunning() {
    Thread t = thread;
    return t != null && t.isAlive();
  }

  private void loop() {
    int failures = 0;
    while (running) {
      try {
        pollOnce();
        failures = 0;
      } catch (RuntimeException e) {
        failures++;
        Duration d = backoff.delay(failures);
        log.warn("applying events failed ({} in a row); retrying in {}", failures, d, e);
        try {
          sleeper.sleep(d);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Receives one batch, applies it and acknowledges it. Returns how many events it handled. */
  public int pollOnce() {
    Instant polled = clock.instant();
    List<EventDelivery> batch = events.receive(batchSize, wait);
    if (batch.isEmpty()) {
      caughtUpAt = polled;
      return 0;
    }
    List<WorkerEvent> list = new ArrayList<>(batch.size());
    for (EventDelivery d : batch) {
      list.add(d.event());
    }
    applier.applyAll(list);
    // every consumed event, duplicates and ignored ones too: who holds which lease is not the
    // item's state (a late completion of an item already done still ends that worker's lease)
    for (WorkerEvent e : list) {
      try {
        observer.accept(e);
      } catch (RuntimeException ex) { // an observer never holds the batch back: it is applied
        log.warn("observing event {} failed: {}", e.eventId(), ex.toString());
      }
    }
    events.acknowledge(batch);
    if (batch.size() < batchSize) {
      caughtUpAt = polled;
    }
    for (WorkerEvent e : list) {
      Duration l = Duration.between(e.at(), clock.instant());
      lag.record(l.isNegative() ? Duration.ZERO : l);
    }
    return batch.size();
  }
}
