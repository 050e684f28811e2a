package dev.spotbatch.worker.inference;

import java.time.Duration;
import java.util.List;

/**
 * A model whose throughput is capped ({@code spotbatch.worker.max-records-per-second}): each batch
 * waits for its turn on a {@link RecordRate} before it runs. For a worker that must not outrun what
 * it writes to or shares a machine with, and for tests and demos that need a job to last about as
 * long on a fast machine as on a slow one.
 */
final class ThrottledModel implements EmbeddingModel {
  /** Waits; a seam so tests need not sleep. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final EmbeddingModel model;
  private final RecordRate rate;
  private final Sleeper sleeper;

  ThrottledModel(EmbeddingModel model, RecordRate rate, Sleeper sleeper) {
    this.model = model;
    this.rate = rate;
    this.sleeper = sleeper;
  }

  @Override
  public float[][] embed(List<String> texts) {
    Duration wait = rate.reserve(texts.size());
    if (!wait.isZero()) {
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModelException("interrupted while waiting under the throughput cap", e);
      }
    }
    return model.embed(texts);
  }

  @Override
  public int dimensions() {
    return model.dimensions();
  }

  @Override
  public String name() {
    return model.name();
  }

  @Override
  public java.nio.file.Path tokenizerFile() {
    return model.tokenizerFile();
  }

  @Override
  public int maxLength() {
    return model.maxLength();
  }

  @Override
  public String prefix(String input) {
    return model.prefix(input);
  }

  @Override
  public List<String> labels() {
    return model.labels();
  }

  @Override
  public void close() {
    model.close();
  }
}
