package dev.spotbatch.worker.inference;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects records from every running item into one bounded queue and feeds them to the model in
 * batches (djl-serving {@code BatchAggregator} style): each of {@code threads} named inference
 * threads takes up to {@code batchSize} records, waiting at most {@code maxBatchDelay} after the
 * first one to fill the batch, runs it, and hands each result back to its record's chunk. A full
 * queue blocks the submitter (back-pressure).
 *
 * <p>Records are submitted with their item's {@link Cancellation}: once it is raised, the item's
 * queued records are dropped (never embedded), their chunks fail with a {@link
 * CancellationException}, and a submit of that item blocked on a full queue gives up at once. A
 * batch the model already runs is not interrupted. With {@link BatchOrder#LENGTH} a batch holds
 * queued records of similar length instead of the first ones; each submit's results still come back
 * in its order. Thread-safe.
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
  private final BatchOrder order;
  private final int batchSize;
  private final long maxBatchDelayNanos;
  private final Listener listener;
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<Request> queue; // guarded by lock
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  private record Request(String text, Chunk chunk, int index) {}

  /** The records of one submit call; completes when all have a result, or on the first error. */
  private static final class Chunk {
    final float[][] results;
    final AtomicInteger remaining;
    final Cancellation cancellation;
    final CompletableFuture<float[][]> future = new CompletableFuture<>();

    Chunk(int size, Cancellation cancellation) {
      results = new float[size][];
      remaining = new AtomicInteger(size);
      this.cancellation = cancellation;
    }

    void cancelled() {
      future.completeExceptionally(new CancellationException("item cancelled: records dropped"));
    }
  }

  public Batcher(
      EmbeddingModel model,
      int threads,
      int batchSize,
      Duration maxBatchDelay,
      int queueCapacity,
      Listener listener) {
    this(model, threads, batchSize, maxBatchDelay, queueCapacity, listener, BatchOrder.ARRIVAL);
  }

  /**
   * @param order which queued records go together in a batch
   */
  public Batcher(
      EmbeddingModel model,
      int threads,
      int batchSize,
      Duration maxBatchDelay,
      int queueCapacity,
      Listener listener,
      BatchOrder order) {
    if (threads < 1 || batchSize < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException("threads, batchSize and queueCapacity must be >= 1");
    }
    this.model = model;
    this.order = java.util.Objects.requireNonNull(order, "order");
    this.batchSize = batchSize;
    this.maxBatchDelayNanos = maxBatchDelay.toNanos();
    this.listener = listener == null ? Listener.NONE : listener;
    this.capacity = queueCapacity;
    this.queue = new ArrayDeque<>(queueCapacity);
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::run, "inference-" + model.name() + "-" + i);
      t.setDaemon(true);
      this.threads.add(t);
      t.start();
    }
  }

  /** Which queued records go together in a batch. */
  public BatchOrder order() {
    return order;
  }

  public EmbeddingModel model() {
    return model;
  }

  /** False once {@link #close} began: a failure then is not the records' fault. */
  public boolean isOpen() {
    return running;
  }

  /** {@link #submit(List, Cancellation)} for records nobody will cancel. */
  public CompletableFuture<float[][]> submit(List<String> texts) throws InterruptedException {
    return submit(texts, new Cancellation());
  }

  /**
   * Queues texts; the future completes with one embedding per text, in order, or fails with a
   * {@link CancellationException} once {@code cancellation} is raised before the model took all of
   * them. Blocks while the queue is full, but not past the cancellation (then returns the failed
   * future). Pair with {@link #cancelOn}.
   *
   * @throws InterruptedException if interrupted while waiting for queue space
   */
  public CompletableFuture<float[][]> submit(List<String> texts, Cancellation cancellation)
      throws InterruptedException {
    Chunk chunk = new Chunk(texts.size(), cancellation);
    if (texts.isEmpty()) {
      chunk.future.complete(new float[0][]);
      return chunk.future;
    }
    lock.lockInterruptibly();
    try {
      for (int i = 0; i < texts.size(); i++) {
        while (queue.size() >= capacity && running && !cancellation.isCancelled()) {
          notFull.await();
        }
        if (!running) {
          chunk.future.completeExceptionally(new ModelException("batcher is closed"));
          return chunk.future;
        }
        if (cancellation.isCancelled()) {
          // records of this chunk queued before the cancellation were dropped by cancel()
          chunk.cancelled();
          return chunk.future;
        }
        queue.addLast(new Request(texts.get(i), chunk, i));
        notEmpty.signal();
      }
    } finally {
      lock.unlock();
    }
    return chunk.future;
  }

  /**
   * Drops the queued records of {@code cancellation} as soon as it is raised (at once if it is):
   * call once per item before its first submit.
   */
  public void cancelOn(Cancellation cancellation) {
    cancellation.onCancel(() -> cancel(cancellation));
  }

  /**
   * Drops every queued record submitted with {@code cancellation}, fails their chunks and wakes
   * blocked submitters; returns the number of records dropped.
   */
  int cancel(Cancellation cancellation) {
    List<Chunk> failed = new ArrayList<>();
    int dropped = 0;
    lock.lock();
    try {
      for (Iterator<Request> it = queue.iterator(); it.hasNext(); ) {
        Request r = it.next();
        if (r.chunk().cancellation == cancellation) {
          it.remove();
          dropped++;
          failed.add(r.chunk());
        }
      }
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
    failed.forEach(Chunk::cancelled); // outside the lock: completing runs the waiters' stages
    if (dropped > 0) {
      log.debug("dropped {} queued records of a cancelled item", dropped);
    }
    return dropped;
  }

  /**
   * Waits up to {@code nanos} for queued records, then moves up to {@code max} of them into {@code
   * batch} under the same lock: taken one at a time, another inference thread could take records in
   * between and split one chunk over two batches.
   *
   * @return how many records were taken
   */
  private int take(List<Request> batch, int max, long nanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long left = nanos;
      while (queue.isEmpty()) {
        if (left <= 0 || !running) {
          return 0;
        }
        left = notEmpty.awaitNanos(left);
      }
      int n = 0;
      while (n < max && !queue.isEmpty()) {
        batch.add(queue.pollFirst());
        n++;
      }
      notFull.signalAll();
      return n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@link BatchOrder#LENGTH}: waits up to {@code nanos} for a record, then up to the batch delay
   * for a full batch, and moves the batch of similar lengths that holds the oldest record ({@link
   * LengthGroups}) into {@code batch}, all under the lock.
   *
   * @return how many records were taken
   */
  private int takeByLength(List<Request> batch, long nanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long left = nanos;
      while (queue.isEmpty()) {
        if (left <= 0 || !running) {
          return 0;
        }
        left = notEmpty.awaitNanos(left);
      }
      long fill = maxBatchDelayNanos;
      while (queue.size() < batchSize && fill > 0 && running) {
        fill = notEmpty.awaitNanos(fill);
      }
      if (queue.isEmpty()) {
        return 0; // cancelled while it filled
      }
      List<Request> queued = new ArrayList<>(queue);
      queue.clear();
      int n = LengthGroups.pick(queued, batchSize, r -> r.text().length(), batch);
      queue.addAll(queued);
      notFull.signalAll();
      return n;
    } finally {
      lock.unlock();
    }
  }

  private void drainTo(List<Request> batch, int max) {
    lock.lock();
    try {
      int n = 0;
      while (n < max && !queue.isEmpty()) {
        batch.add(queue.pollFirst());
        n++;
      }
      if (n > 0) {
        notFull.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean queueEmpty() {
    lock.lock();
    try {
      return queue.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    List<Request> batch = new ArrayList<>(batchSize);
    while (running || !queueEmpty()) {
      try {
        if (order == BatchOrder.LENGTH) {
          if (takeByLength(batch, TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MS)) > 0) {
            execute(batch);
          }
          continue;
        }
        if (take(batch, batchSize, TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MS)) == 0) {
          continue;
        }
        long deadline = System.nanoTime() + maxBatchDelayNanos;
        while (batch.size() < batchSize) {
          long wait = deadline - System.nanoTime();
          if (wait <= 0 || take(batch, batchSize - batch.size(), wait) == 0) {
            break;
          }
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

  private void execute(List<Request> all) {
    // records cancelled while the batch filled are dropped too: the model has not started on them
    List<Request> batch = new ArrayList<>(all.size());
    for (Request r : all) {
      if (r.chunk().cancellation.isCancelled()) {
        r.chunk().cancelled();
      } else {
        batch.add(r);
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    run(batch, true);
  }

  /**
   * Runs one batch and hands the results to their chunks. When a batch of several submits' records
   * fails, each submit's records run again on their own ({@code split}): a record the model cannot
   * take then fails only the submit it came with, so {@code RecordIsolation} bisecting one chunk is
   * not misled by another chunk's bad record merged into the same batch.
   */
  private void run(List<Request> batch, boolean split) {
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
      Map<Chunk, List<Request>> bySubmit = new java.util.LinkedHashMap<>();
      for (Request r : batch) {
        bySubmit.computeIfAbsent(r.chunk(), c -> new ArrayList<>()).add(r);
      }
      if (split && e instanceof RuntimeException && bySubmit.size() > 1 && running) {
        bySubmit.values().forEach(part -> run(part, false));
        return;
      }
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
    lock.lock();
    try {
      notEmpty.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
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
    drainTo(left, Integer.MAX_VALUE);
    fail(left, new ModelException("batcher closed"));
    threads.forEach(Thread::interrupt);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
