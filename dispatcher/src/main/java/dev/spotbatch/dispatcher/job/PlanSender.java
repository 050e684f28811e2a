package dev.spotbatch.dispatcher.job;

import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.WorkSubmitter;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sending end of one planning run: stored chunks of a plan go to the work queue on {@link
 * PlanOptions#senders()} threads while the planner lists and stores the next ones. Bounded: {@link
 * #submit} blocks while {@link PlanOptions#chunksAhead()} chunks wait for a sender, which pauses
 * the listing (back-pressure). The first failed send stops the run: later chunks are not sent and
 * {@link #submit} and {@link #finish} throw it. Not thread-safe: one planner thread submits.
 */
final class PlanSender implements AutoCloseable {
  private static final long POLL_MILLIS = 100;

  private final WorkSubmitter queue;
  private final Counter enqueued;
  private final ExecutorService senders;
  private final Semaphore room;
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final AtomicInteger sent = new AtomicInteger();
  private long waitedNanos;

  PlanSender(WorkSubmitter queue, PlanOptions options, ThreadFactory threads, Counter enqueued) {
    this.queue = queue;
    this.enqueued = enqueued;
    this.senders = Executors.newFixedThreadPool(options.senders(), threads);
    this.room = new Semaphore(options.chunksAhead() + options.senders());
  }

  /**
   * Hands a chunk to the senders. Call it only once the chunk is stored: a crash then sends an item
   * twice (on resume), never an item that is not in the plan. Blocks while the pipeline is full.
   *
   * @throws RuntimeException the first failure of an earlier send
   */
  void submit(List<WorkItem> chunk) {
    if (chunk.isEmpty()) {
      return;
    }
    List<WorkItem> owned = List.copyOf(chunk);
    throwIfFailed();
    long start = System.nanoTime();
    try {
      while (!room.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        throwIfFailed(); // a failed sender frees its room, but do not wait to find out
      }
      waitedNanos += System.nanoTime() - start;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to send a planned chunk", e);
    }
    senders.execute(() -> send(owned));
  }

  private void send(List<WorkItem> chunk) {
    try {
      if (failure.get() == null) {
        queue.send(chunk);
        sent.addAndGet(chunk.size());
        enqueued.increment(chunk.size());
      }
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    } finally {
      room.release();
    }
  }

  /**
   * Waits until every submitted chunk is on the queue.
   *
   * @return how many items were sent
   * @throws RuntimeException the first failed send
   */
  int finish() {
    senders.shutdown();
    try {
      while (!senders.awaitTermination(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        // a send under the queue adapter's retries may take long; it ends or fails on its own
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for planned chunks to be sent", e);
    }
    throwIfFailed();
    return sent.get();
  }

  /** How long {@link #submit} waited for room: the listing held back by the queue. */
  long waitedNanos() {
    return waitedNanos;
  }

  private void throwIfFailed() {
    RuntimeException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  /** Stops the senders; chunks not yet sent are dropped (the job is not RUNNING: resume sends). */
  @Override
  public void close() {
    senders.shutdownNow();
  }
}
