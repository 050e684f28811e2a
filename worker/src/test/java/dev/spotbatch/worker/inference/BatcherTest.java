package dev.spotbatch.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.worker.testing.SteppedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class BatcherTest {

  /** A fake model whose embedding of a text is {length, first char}; records batch sizes. */
  static final class RecordingModel implements EmbeddingModel {
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch gate;
    volatile boolean fail;

    RecordingModel(CountDownLatch gate) {
      this.gate = gate;
    }

    @Override
    public float[][] embed(List<String> texts) {
      try {
        gate.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      batchSizes.add(texts.size());
      if (fail) {
        throw new ModelException("boom");
      }
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
      return "fake";
    }

    @Override
    public void close() {}
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(2);
    }
  }

  @Test
  void cancellingAnItemDropsItsQueuedRecordsButNotTheBatchTheModelRuns() throws Exception {
    SteppedModel model = new SteppedModel();
    try (Batcher batcher = new Batcher(model, 1, 2, Duration.ofMillis(1), 100, null)) {
      Cancellation running = new Cancellation();
      Cancellation queued = new Cancellation();
      batcher.cancelOn(running);
      batcher.cancelOn(queued);
      CompletableFuture<float[][]> inModel = batcher.submit(List.of("a1", "a2"), running);
      await(() -> model.entered.get() == 1);
      CompletableFuture<float[][]> waiting = batcher.submit(List.of("b1", "b2", "b3"), queued);

      queued.cancel();
      running.cancel(); // too late for a batch the model already runs

      assertThatThrownBy(() -> waiting.get(1, TimeUnit.SECONDS))
          .isInstanceOf(CancellationException.class);
      model.permits.release(100);
      assertThat(inModel.get(5, TimeUnit.SECONDS)).hasNumberOfRows(2);
      // an item submitting after its cancellation gets a failed future and queues nothing
      assertThat(batcher.submit(List.of("b4"), queued)).isCompletedExceptionally();
      assertThat(batcher.submit(List.of("c1")).get(5, TimeUnit.SECONDS)).hasNumberOfRows(1);
      assertThat(model.embedded).containsExactly("a1", "a2", "c1");
    }
  }

  @Test
  void aSubmitBlockedOnAFullQueueGivesUpAsSoonAsItsItemIsCancelled() throws Exception {
    SteppedModel model = new SteppedModel();
    try (Batcher batcher = new Batcher(model, 1, 1, Duration.ofMillis(1), 2, null)) {
      CompletableFuture<float[][]> first = batcher.submit(List.of("x"));
      await(() -> model.entered.get() == 1); // "x" in the model, the queue empty
      CompletableFuture<float[][]> full = batcher.submit(List.of("y1", "y2")); // now full
      Cancellation item = new Cancellation();
      batcher.cancelOn(item);
      CompletableFuture<CompletableFuture<float[][]>> blocked =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return batcher.submit(List.of("z1", "z2"), item);
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              },
              r -> new Thread(r, "blocked-submitter").start());
      await(
          () ->
              Thread.getAllStackTraces().keySet().stream()
                  .anyMatch(
                      t ->
                          t.getName().equals("blocked-submitter")
                              && t.getState() == Thread.State.WAITING));
      assertThat(blocked).isNotDone();

      item.cancel();

      CompletableFuture<float[][]> gaveUp = blocked.get(1, TimeUnit.SECONDS);
      assertThatThrownBy(() -> gaveUp.get(1, TimeUnit.SECONDS))
          .isInstanceOf(CancellationException.class);
      model.permits.release(100);
      assertThat(first.get(5, TimeUnit.SECONDS)).hasNumberOfRows(1);
      assertThat(full.get(5, TimeUnit.SECONDS)).hasNumberOfRows(2);
      assertThat(model.embedded).containsExactly("x", "y1", "y2");
    }
  }

  @Test
  void fillsBatchesUpToBatchSizeAcrossSubmitters() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingModel model = new RecordingModel(gate);
    try (Batcher batcher = new Batcher(model, 1, 4, Duration.ofSeconds(5), 100, null)) {
      // the single inference thread takes a full batch of 4 at once without waiting the delay
      CompletableFuture<float[][]> a = batcher.submit(List.of("a", "bb", "ccc"));
      CompletableFuture<float[][]> b = batcher.submit(List.of("dddd", "eeeee", "f", "gg", "hhh"));
      gate.countDown();
      float[][] ra = a.get(5, TimeUnit.SECONDS);
      float[][] rb = b.get(5, TimeUnit.SECONDS);
      assertThat(model.batchSizes).allMatch(s -> s <= 4);
      assertThat(model.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(8);
      assertThat(model.batchSizes.get(0)).isEqualTo(4);
      assertThat(ra[0]).containsExactly(1f, 'a');
      assertThat(ra[2]).containsExactly(3f, 'c');
      assertThat(rb[0]).containsExactly(4f, 'd');
      assertThat(rb[4]).containsExactly(3f, 'h');
    }
  }

  @Test
  void flushesAPartialBatchAfterMaxBatchDelay() throws Exception {
    RecordingModel model = new RecordingModel(new CountDownLatch(0));
    try (Batcher batcher = new Batcher(model, 1, 32, Duration.ofMillis(30), 100, null)) {
      float[][] r = batcher.submit(List.of("only", "two")).get(5, TimeUnit.SECONDS);
      assertThat(model.batchSizes).containsExactly(2);
      assertThat(r[1]).containsExactly(3f, 't');
    }
  }

  @Test
  void returnsResultsToTheRightRecordsWithManyThreads() throws Exception {
    RecordingModel model = new RecordingModel(new CountDownLatch(0));
    try (Batcher batcher = new Batcher(model, 3, 5, Duration.ofMillis(5), 10, null)) {
      List<CompletableFuture<float[][]>> futures = new ArrayList<>();
      List<List<String>> inputs = new ArrayList<>();
      for (int c = 0; c < 20; c++) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
          texts.add(Character.toString('a' + (c + i) % 26).repeat(1 + (c * 7 + i) % 11));
        }
        inputs.add(texts);
        futures.add(batcher.submit(texts));
      }
      for (int c = 0; c < 20; c++) {
        float[][] r = futures.get(c).get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 7; i++) {
          String t = inputs.get(c).get(i);
          assertThat(r[i]).containsExactly(t.length(), t.charAt(0));
        }
      }
    }
  }

  @Test
  void failsTheChunksOfAFailedBatch() throws Exception {
    RecordingModel model = new RecordingModel(new CountDownLatch(0));
    model.fail = true;
    try (Batcher batcher = new Batcher(model, 1, 8, Duration.ofMillis(5), 100, null)) {
      CompletableFuture<float[][]> f = batcher.submit(List.of("x", "y"));
      assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(ModelException.class);
    }
  }
}
