package dev.spotbatch.worker.inference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects records from every running item into one bounded queue and feeds them to the model in
 * batches (djl-serving {@code BatchAggregator} style): each of {@code threads} named inference
 * threads takes up to {@code batchSize} records, waiting at most {@code maxBatchDelay} after the
 * first one to fill the batch, runs it, and hands each result back to its record's chunk. A full
 * queue blocks the submitter (back-pressure). Thread-safe.
 */
public final class Batcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Batcher.class);
  private static final long IDLE_POLL_MS = 100;

  /** Observes each executed batch (metrics). */
  public interface Listener {
    void onBatch(int size, Duration latency, boolean failed);

    Listener NONE = (size, latency, failed) -> {};
  }

  private final EmbeddingModel model;
  private final int batchSize;
  private final long maxBatchDelayNanos;
  private final Listener listener;
  private final BlockingQueue<Request> queue;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  private record Request(String text, Chunk chunk, int index) {}

  /** The records of one submit call; completes when all have a result, or on the first error. */
  private static final class Chunk {
    final float[][] results;
    final AtomicInteger remaining;
    final CompletableFuture<float[][]> future = new CompletableFuture<>();

    Chunk(int size) {
      results = new float[size][];
      remaining = new AtomicInteger(size);
    }
  }

  public Batcher(
      EmbeddingModel model,
      int threads,
      int batchSize,
      Duration maxBatchDelay,
      int queueCapacity,
      Listener listener) {
    if (threads < 1 || batchSize < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException("threads, batchSize and queueCapacity must be >= 1");
    }
    this.model = model;
    this.batchSize = batchSize;
    this.maxBatchDelayNanos = maxBatchDelay.toNanos();
    this.listener = listener == null ? Listener.NONE : listener;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::run, "inference-" + model.name() + "-" + i);
      t.setDaemon(true);
      this.threads.add(t);
      t.start();
    }
  }

  public EmbeddingModel model() {
    return model;
  }

  /**
   * Queues texts; the future completes with one embedding per text, in order. Blocks while the
   * queue is full.
   *
   * @throws InterruptedException if interrupted while waiting for queue space
   */
  public CompletableFuture<float[][]> submit(List<String> texts) throws InterruptedException {
    Chunk chunk = new Chunk(texts.size());
    if (texts.isEmpty()) {
      chunk.future.complete(new float[0][]);
      return chunk.future;
    }
    for (int i = 0; i < texts.size(); i++) {
      if (!running) {
        chunk.future.completeExceptionally(new ModelException("batcher is closed"));
        return chunk.future;
      }
      queue.put(new Request(texts.get(i), chunk, i));
    }
    return chunk.future;
  }

  private void run() {
    List<Request> batch = new ArrayList<>(batchSize);
    while (running || !queue.isEmpty()) {
      try {
        Request first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = System.nanoTime() + maxBatchDelayNanos;
        while (batch.size() < batchSize) {
          queue.drainTo(batch, batchSize - batch.size());
          if (batch.size() >= batchSize) {
            break;
          }
          long wait = deadline - System.nanoTime();
          if (wait <= 0) {
            break;
          }
          Request next = queue.poll(wait, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        execute(batch);
      } catch (InterruptedException e) {
        fail(batch, new ModelException("batcher interrupted"));
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void execute(List<Request> batch) {
    List<String> texts = new ArrayList<>(batch.size());
    for (Request r : batch) {
      texts.add(r.text());
    }
    long start = System.nanoTime();
    float[][] out;
    try {
      out = model.embed(texts);
      if (out.length != batch.size()) {
        throw new ModelException(
            "model " + model.name() + " returned " + out.length + " results for " + batch.size());
      }
    } catch (RuntimeException | Error e) { // an Error too: a dead thread would strand the records
      listener.onBatch(batch.size(), Duration.ofNanos(System.nanoTime() - start), true);
      log.warn("batch of {} failed on model {}: {}", batch.size(), model.name(), e.toString());
      fail(batch, e);
      return;
    }
    listener.onBatch(batch.size(), Duration.ofNanos(System.nanoTime() - start), false);
    for (int i = 0; i < batch.size(); i++) {
      Request r = batch.get(i);
      r.chunk().results[r.index()] = out[i];
      if (r.chunk().remaining.decrementAndGet() == 0) {
        r.chunk().future.complete(r.chunk().results);
      }
    }
  }

  private static void fail(List<Request> batch, Throwable error) {
    Map<Chunk, Boolean> seen = new IdentityHashMap<>();
    for (Request r : batch) {
      if (seen.put(r.chunk(), Boolean.TRUE) == null) {
        r.chunk().future.completeExceptionally(error);
      }
    }
  }

  /**
   * Stops the inference threads after the queued records ran (up to {@code wait}); records still
   * queued then fail. Does not close the model (the registry owns it). Never throws.
   */
  public void close(Duration wait) {
    running = false;
    long deadline = System.nanoTime() + wait.toNanos();
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<Request> left = new ArrayList<>();
    queue.drainTo(left);
    fail(left, new ModelException("batcher closed"));
    threads.forEach(Thread::interrupt);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
