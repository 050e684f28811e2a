package dev.spotbatch.worker.inference;

import dev.spotbatch.task.ModelRef;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One {@link Batcher} per model, created on first use with the same settings. Built-in models stay
 * loaded; brought models (by URI) are kept up to {@code maxBroughtModels} at once: when another is
 * needed, the least recently used one that no item is using is closed (its batcher and model).
 * Items {@link #acquire} a model and {@link Lease#close release} it. Thread-safe.
 */
public final class Batchers implements AutoCloseable {
  /** Brought models loaded at once by default. */
  public static final int DEFAULT_MAX_BROUGHT = 2;

  private final ModelRegistry registry;
  private final int threads;
  private final int batchSize;
  private final Duration maxBatchDelay;
  private final Batcher.Listener listener;
  private final RecordRate cap;
  private final int maxBrought;
  private final BatchOrder order;
  private final Map<String, Entry> batchers = new LinkedHashMap<>(); // guarded by this
  private long uses; // guarded by this: the LRU clock

  private static final class Entry {
    final Batcher batcher;
    final boolean brought;
    int users;
    long lastUsed;

    Entry(Batcher batcher, boolean brought) {
      this.batcher = batcher;
      this.brought = brought;
    }
  }

  /** A model in use by one item; close it when the item is done. */
  public final class Lease implements AutoCloseable {
    private final String key;
    private final Batcher batcher;
    private boolean closed;

    private Lease(String key, Batcher batcher) {
      this.key = key;
      this.batcher = batcher;
    }

    public Batcher batcher() {
      return batcher;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        released(key);
      }
    }
  }

  public Batchers(
      ModelRegistry registry,
      int threads,
      int batchSize,
      Duration maxBatchDelay,
      Batcher.Listener listener) {
    this(registry, threads, batchSize, maxBatchDelay, listener, null);
  }

  /**
   * @param cap the worker's throughput cap, shared by all its models; null for none
   */
  public Batchers(
      ModelRegistry registry,
      int threads,
      int batchSize,
      Duration maxBatchDelay,
      Batcher.Listener listener,
      RecordRate cap) {
    this(registry, threads, batchSize, maxBatchDelay, listener, cap, DEFAULT_MAX_BROUGHT);
  }

  /**
   * @param maxBrought brought models loaded at once (least recently used are closed)
   */
  public Batchers(
      ModelRegistry registry,
      int threads,
      int batchSize,
      Duration maxBatchDelay,
      Batcher.Listener listener,
      RecordRate cap,
      int maxBrought) {
    this(
        registry, threads, batchSize, maxBatchDelay, listener, cap, maxBrought, BatchOrder.ARRIVAL);
  }

  /**
   * @param order which queued records each model's batcher puts together in a batch
   */
  public Batchers(
      ModelRegistry registry,
      int threads,
      int batchSize,
      Duration maxBatchDelay,
      Batcher.Listener listener,
      RecordRate cap,
      int maxBrought,
      BatchOrder order) {
    if (maxBrought < 1) {
      throw new IllegalArgumentException("at least one brought model must fit");
    }
    this.registry = registry;
    this.threads = threads;
    this.batchSize = batchSize;
    this.maxBatchDelay = maxBatchDelay;
    this.listener = listener;
    this.cap = cap;
    this.maxBrought = maxBrought;
    this.order = java.util.Objects.requireNonNull(order, "order");
  }

  /**
   * The batcher for a built-in model, loading the model on first use.
   *
   * @throws UnknownModelException if the registry has no such model
   */
  public Batcher forModel(String name) {
    try (Lease lease = acquire(ModelRef.builtIn(name))) {
      return lease.batcher(); // built-in models are never evicted
    }
  }

  /**
   * The model for one item, loaded (a brought one fetched) on first use; release it when done.
   * Loading happens under this object's lock: two items of a new model load it once.
   *
   * @throws UnknownModelException for an unknown built-in model
   * @throws dev.spotbatch.task.ModelProblemException for a brought model that cannot be used
   */
  public synchronized Lease acquire(ModelRef ref) {
    String key = ref.key();
    Entry e = batchers.get(key);
    if (e == null) {
      if (ref.brought()) {
        evictFor();
      }
      EmbeddingModel loaded = registry.open(ref);
      EmbeddingModel model =
          cap == null ? loaded : new ThrottledModel(loaded, cap, Batchers::sleep);
      e =
          new Entry(
              new Batcher(
                  model,
                  threads,
                  batchSize,
                  maxBatchDelay,
                  batchSize * threads * 4 * order.readAhead(),
                  listener,
                  order),
              ref.brought());
      batchers.put(key, e);
    }
    e.users++;
    e.lastUsed = ++uses;
    return new Lease(key, e.batcher);
  }

  private synchronized void released(String key) {
    Entry e = batchers.get(key);
    if (e != null) {
      e.users--;
    }
  }

  /** Closes least recently used brought models no item uses until one more fits. */
  private void evictFor() {
    while (batchers.values().stream().filter(x -> x.brought).count() >= maxBrought) {
      Optional<Map.Entry<String, Entry>> idle =
          batchers.entrySet().stream()
              .filter(x -> x.getValue().brought && x.getValue().users == 0)
              .min(Comparator.comparingLong(x -> x.getValue().lastUsed));
      if (idle.isEmpty()) {
        return; // all in use: go over the limit rather than stall an item
      }
      Entry gone = batchers.remove(idle.get().getKey());
      gone.batcher.close(Duration.ofSeconds(5));
      gone.batcher.model().close();
    }
  }

  /** The keys of the models loaded now (built-in names, brought digests). */
  public synchronized java.util.Set<String> loaded() {
    return new java.util.TreeSet<>(batchers.keySet());
  }

  /** The records per model batch. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * The preferred number of records per submit: one batch, or several when batches are grouped by
   * length (more records queued to choose from).
   */
  public int chunkSize() {
    return batchSize * order.readAhead();
  }

  private static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
  }

  /** Stops every batcher (and closes brought models); never throws. */
  public synchronized void close(Duration wait) {
    for (Entry e : batchers.values()) {
      e.batcher.close(wait);
      if (e.brought) {
        try {
          e.batcher.model().close();
        } catch (RuntimeException ignored) {
          // closing: nothing else to do
        }
      }
    }
    batchers.clear();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
