package dev.spotbatch.worker.testing;

import dev.spotbatch.worker.inference.EmbeddingModel;
import dev.spotbatch.worker.inference.ModelException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model the test steps through: each batch counts itself {@link #entered}, waits for one of
 * {@link #permits}, records its texts in {@link #embedded} and counts itself in {@link #batches};
 * the embedding of a text is {@code {length, 0.5}}; can be told to fail.
 */
public final class SteppedModel implements EmbeddingModel {
  public final Semaphore permits = new Semaphore(0);
  public final AtomicInteger entered = new AtomicInteger();
  public final AtomicInteger batches = new AtomicInteger();
  public final List<String> embedded = Collections.synchronizedList(new ArrayList<>());
  public volatile boolean fail;

  @Override
  public float[][] embed(List<String> texts) {
    entered.incrementAndGet();
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelException("interrupted");
    }
    batches.incrementAndGet();
    if (fail) {
      throw new ModelException("stepped model failure");
    }
    embedded.addAll(texts);
    float[][] out = new float[texts.size()][];
    for (int i = 0; i < texts.size(); i++) {
      out[i] = new float[] {texts.get(i).length(), 0.5f};
    }
    return out;
  }

  @Override
  public int dimensions() {
    return 2;
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public void close() {}
}
