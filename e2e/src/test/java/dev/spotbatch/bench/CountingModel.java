package dev.spotbatch.bench;

import dev.spotbatch.worker.inference.EmbeddingModel;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A model shared by several in-process workers that counts, per record, how often it embedded it:
 * {@code key} maps a text to its record id. The delegate runs unchanged; {@link #close()} leaves it
 * open (the benchmark owns it).
 */
final class CountingModel implements EmbeddingModel {
  private final EmbeddingModel delegate;
  private final Function<String, String> key;
  private final Map<String, Integer> embedded;

  CountingModel(
      EmbeddingModel delegate, Function<String, String> key, Map<String, Integer> embedded) {
    this.delegate = delegate;
    this.key = key;
    this.embedded = embedded;
  }

  @Override
  public float[][] embed(List<String> texts) {
    float[][] out = delegate.embed(texts);
    for (String text : texts) {
      embedded.merge(key.apply(text), 1, Integer::sum);
    }
    return out;
  }

  @Override
  public int dimensions() {
    return delegate.dimensions();
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public void close() {
    // shared across worker contexts: the benchmark closes the delegate
  }
}
