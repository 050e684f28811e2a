package dev.spotbatch.worker.testing;

import dev.spotbatch.worker.inference.EmbeddingModel;
import dev.spotbatch.worker.inference.ModelException;
import java.util.List;

/** A deterministic model: the embedding of a text is {@code {length, 0.5}}; can be told to fail. */
public final class FakeModel implements EmbeddingModel {
  public volatile boolean fail;

  /** When set, a batch holding a text that contains it fails (a record the model cannot take). */
  public volatile String poison;

  /** When set, each batch takes this long per text (a slow model). */
  public volatile java.time.Duration delayPerRecord;

  /** Texts embedded so far (batches that failed not counted). */
  public final java.util.concurrent.atomic.AtomicInteger embedded =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Batches the model was given, failed ones too. */
  public final java.util.concurrent.atomic.AtomicInteger calls =
      new java.util.concurrent.atomic.AtomicInteger();

  /** When set, each batch signals {@code entered} and then waits for {@code gate}. */
  public volatile java.util.concurrent.CountDownLatch entered;

  public volatile java.util.concurrent.CountDownLatch gate;

  @Override
  public float[][] embed(List<String> texts) {
    calls.incrementAndGet();
    if (gate != null) {
      entered.countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (fail) {
      throw new ModelException("fake model failure");
    }
    String p = poison;
    if (p != null && texts.stream().anyMatch(t -> t.contains(p))) {
      throw new ModelException("fake model cannot take '" + p + "'");
    }
    java.time.Duration d = delayPerRecord;
    if (d != null) {
      try {
        Thread.sleep(d.toMillis() * texts.size());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    embedded.addAndGet(texts.size());
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
