package dev.spotbatch.worker.inference;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link Batcher} per model, created on first use with the same settings. Thread-safe. */
public final class Batchers implements AutoCloseable {
  private final ModelRegistry registry;
  private final int threads;
  private final int batchSize;
  private final Duration maxBatchDelay;
  private final Batcher.Listener listener;
  private final RecordRate cap;
  private final Map<String, Batcher> batchers = new ConcurrentHashMap<>();

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
    this.registry = registry;
    this.threads = threads;
    this.batchSize = batchSize;
    this.maxBatchDelay = maxBatchDelay;
    this.listener = listener;
    this.cap = cap;
  }

  /**
   * The batcher for a model, loading the model on first use.
   *
   * @throws UnknownModelException if the registry has no such model
   */
  public Batcher forModel(String name) {
    Batcher existing = batchers.get(name);
    if (existing != null) {
      return existing;
    }
    EmbeddingModel loaded = registry.get(name);
    EmbeddingModel model = cap == null ? loaded : new ThrottledModel(loaded, cap, Batchers::sleep);
    return batchers.computeIfAbsent(
        name,
        n ->
            new Batcher(
                model, threads, batchSize, maxBatchDelay, batchSize * threads * 4, listener));
  }

  /** The preferred number of records per submit. */
  public int batchSize() {
    return batchSize;
  }

  private static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
  }

  /** Stops every batcher; never throws. */
  public void close(Duration wait) {
    batchers.values().forEach(b -> b.close(wait));
    batchers.clear();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
