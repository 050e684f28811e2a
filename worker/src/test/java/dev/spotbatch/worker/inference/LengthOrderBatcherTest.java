package dev.spotbatch.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.worker.testing.SteppedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LengthOrderBatcherTest {

  /** A stepped model whose embedding of a text is {its length, its first char}. */
  private static SteppedModel lengthModel() {
    return new SteppedModel(text -> new float[] {text.length(), text.charAt(0)});
  }

  /**
   * Keeps the model busy with a first record ("x"), so the records submitted next queue up together
   * and are batched in length order; returns the first record's future.
   */
  private static CompletableFuture<float[][]> holdTheModel(Batcher batcher, SteppedModel model)
      throws InterruptedException {
    CompletableFuture<float[][]> first = batcher.submit(List.of("x"));
    BatcherTest.await(() -> !first.isDone() && model.permits.hasQueuedThreads());
    return first;
  }

  private static Batcher lengthOrdered(SteppedModel model, int batchSize) {
    return new Batcher(model, 1, batchSize, Duration.ofMillis(1), 100, null, BatchOrder.LENGTH);
  }

  /** The lengths of each batch's records, sorted. */
  private static List<List<Integer>> batchLengths(SteppedModel model) {
    return model.batchTexts.stream()
        .map(texts -> texts.stream().map(String::length).sorted().toList())
        .toList();
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
    SteppedModel model = lengthModel();
    try (Batcher batcher = lengthOrdered(model, 3)) {
      holdTheModel(batcher, model);
      CompletableFuture<float[][]> a = batcher.submit(texts('a', 50, 3, 120, 49, 4));
      CompletableFuture<float[][]> b = batcher.submit(texts('b', 118, 51, 5, 119));

      model.permits.release(100);

      assertInOrder(a.get(5, TimeUnit.SECONDS), 'a', 50, 3, 120, 49, 4);
      assertInOrder(b.get(5, TimeUnit.SECONDS), 'b', 118, 51, 5, 119);
      // sorted longest first and cut in threes: [120 119 118] [51 50 49] [5 4 3]; the oldest
      // record (a's 50) goes first, then a's 3, then the long ones
      assertThat(batchLengths(model))
          .containsExactly(
              List.of(1), List.of(49, 50, 51), List.of(3, 4, 5), List.of(118, 119, 120));
    }
  }

  @Test
  void aCancelledItemsQueuedRecordsAreDroppedInLengthOrderToo() throws Exception {
    SteppedModel model = lengthModel();
    try (Batcher batcher = lengthOrdered(model, 2)) {
      CompletableFuture<float[][]> first = holdTheModel(batcher, model);
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
      assertThat(batchLengths(model)).containsExactly(List.of(1), List.of(11, 21));
    }
  }
}
