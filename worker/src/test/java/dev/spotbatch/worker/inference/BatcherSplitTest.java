package dev.spotbatch.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatcherSplitTest {

  /** Fails a batch holding "BAD"; each batch waits for a permit. */
  static final class PickyModel implements EmbeddingModel {
    final Semaphore permits = new Semaphore(0);
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public float[][] embed(List<String> texts) {
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModelException("interrupted");
      }
      batchSizes.add(texts.size());
      if (texts.contains("BAD")) {
        throw new ModelException("cannot take BAD");
      }
      float[][] out = new float[texts.size()][];
      for (int i = 0; i < texts.size(); i++) {
        out[i] = new float[] {texts.get(i).length()};
      }
      return out;
    }

    @Override
    public int dimensions() {
      return 1;
    }

    @Override
    public String name() {
      return "picky";
    }

    @Override
    public void close() {}
  }

  @Test
  void aBadRecordFailsOnlyTheSubmitItCameWithNotTheOthersInItsBatch() throws Exception {
    for (BatchOrder order : BatchOrder.values()) {
      PickyModel model = new PickyModel();
      try (Batcher batcher = new Batcher(model, 1, 8, Duration.ofMillis(1), 100, null, order)) {
        CompletableFuture<float[][]> first = batcher.submit(List.of("x")); // holds the model
        BatcherTest.await(() -> model.permits.hasQueuedThreads());
        CompletableFuture<float[][]> bad = batcher.submit(List.of("ok", "BAD"));
        CompletableFuture<float[][]> good = batcher.submit(List.of("fine", "also"));

        model.permits.release(100);

        assertThat(first.get(5, TimeUnit.SECONDS)).hasNumberOfRows(1);
        assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(ModelException.class);
        assertThat(good.get(5, TimeUnit.SECONDS)).hasNumberOfRows(2);
        // the merged batch of 4 failed; each submit then ran on its own
        assertThat(model.batchSizes).as("%s", order).containsExactly(1, 4, 2, 2);
      }
    }
  }
}
