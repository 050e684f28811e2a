package dev.spotbatch.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LengthOrderBatcherTest {

  /** Embeds a text as {its length, its first char}; each batch waits for a permit. */
  static final class LengthModel implements EmbeddingModel {
    final Semaphore permits = new Semaphore(0);
    final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());

    @Override
    public float[][] embed(List<String> texts) {
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModelException("interrupted");
      }
      batches.add(texts.stream().map(String::length).sorted().toList());
      float[][] out = new float[texts.size()][];
      for (int i = 0; i < texts.size(); i++) {
        out[i] = new float[] {texts.get(i).length(), texts.get(i).charAt(0)};
      }
      return out;
    }

    @Override
    public int dimensions() {
      return 2;
    }

    @Override
    public String name() {
      return "lengths";
    }

    @Override
    public void close() {}
  }

  private static List<String> texts(char item, int... lengths) {
    List<String> out = new ArrayList<>();
    for (int n : lengths) {
      out.add(item + "w".repeat(n - 1));
    }
    return out;
  }

  private static void assertInOrder(float[][] results, char item, int... lengths) {
    assertThat(results).hasNumberOfRows(lengths.length);
    for (int i = 0; i < lengths.length; i++) {
      assertThat(results[i]).containsExactly(lengths[i], item);
    }
  }

  @Test
  void groupsRecordsOfSimilarLengthAcrossItemsAndKeepsEachItemsOrder() throws Exception {
    LengthModel model = new LengthModel();
    try (Batcher batcher =
        new Batcher(model, 1, 3, Duration.ofMillis(1), 100, null, BatchOrder.LENGTH)) {
      CompletableFuture<float[][]> first = batcher.submit(List.of("x")); // holds the model
      BatcherTest.await(() -> !first.isDone() && model.permits.hasQueuedThreads());
      CompletableFuture<float[][]> a = batcher.submit(texts('a', 50, 3, 120, 49, 4));
      CompletableFuture<float[][]> b = batcher.submit(texts('b', 118, 51, 5, 119));

      model.permits.release(100);

      assertInOrder(a.get(5, TimeUnit.SECONDS), 'a', 50, 3, 120, 49, 4);
      assertInOrder(b.get(5, TimeUnit.SECONDS), 'b', 118, 51, 5, 119);
      // sorted longest first and cut in threes: [120 119 118] [51 50 49] [5 4 3]; the oldest
      // record (a's 50) goes first, then a's 3, then the long ones
      assertThat(model.batches)
          .containsExactly(
              List.of(1), List.of(49, 50, 51), List.of(3, 4, 5), List.of(118, 119, 120));
    }
  }

  @Test
  void aCancelledItemsQueuedRecordsAreDroppedInLengthOrderToo() throws Exception {
    LengthModel model = new LengthModel();
    try (Batcher batcher =
        new Batcher(model, 1, 2, Duration.ofMillis(1), 100, null, BatchOrder.LENGTH)) {
      CompletableFuture<float[][]> first = batcher.submit(List.of("x"));
      BatcherTest.await(() -> model.permits.hasQueuedThreads());
      Cancellation item = new Cancellation();
      batcher.cancelOn(item);
      CompletableFuture<float[][]> dropped = batcher.submit(texts('a', 10, 20, 30), item);
      CompletableFuture<float[][]> kept = batcher.submit(texts('b', 11, 21));

      item.cancel();
      model.permits.release(100);

      assertThatThrownBy(() -> dropped.get(5, TimeUnit.SECONDS))
          .isInstanceOf(CancellationException.class);
      assertInOrder(kept.get(5, TimeUnit.SECONDS), 'b', 11, 21);
      assertThat(first.get(5, TimeUnit.SECONDS)).hasNumberOfRows(1);
      assertThat(model.batches).containsExactly(List.of(1), List.of(11, 21));
    }
  }
}
