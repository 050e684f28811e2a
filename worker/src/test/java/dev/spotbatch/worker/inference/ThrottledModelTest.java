package dev.spotbatch.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottledModelTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final List<Duration> waits = new ArrayList<>();
  final List<Integer> ran = new ArrayList<>();

  final EmbeddingModel model =
      new EmbeddingModel() {
        @Override
        public float[][] embed(List<String> texts) {
          ran.add(texts.size());
          return new float[texts.size()][1];
        }

        @Override
        public int dimensions() {
          return 1;
        }

        @Override
        public String name() {
          return "counting";
        }

        @Override
        public void close() {}
      };

  /** A sleeper that advances the fake clock instead of waiting. */
  ThrottledModel throttled(double recordsPerSecond) {
    return new ThrottledModel(
        model,
        new RecordRate(recordsPerSecond, now::get),
        d -> {
          waits.add(d);
          now.addAndGet(d.toNanos());
        });
  }

  static List<String> texts(int n) {
    return Collections.nCopies(n, "a text");
  }

  @Test
  void batchesBackToBackRunNoFasterThanTheCap() {
    ThrottledModel m = throttled(100);
    m.embed(texts(50)); // at once
    m.embed(texts(50)); // after the first 50 records' half second
    m.embed(texts(10)); // after the next half second
    assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500));
    assertThat(ran).containsExactly(50, 50, 10);
    // 110 records took at least the 1 s that 100 of them are allowed
    assertThat(now.get() - 1_000_000_000L).isEqualTo(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void anIdleSpellIsNotSavedUpForABurst() {
    ThrottledModel m = throttled(10);
    m.embed(texts(10));
    now.addAndGet(Duration.ofSeconds(60).toNanos()); // idle for a minute
    m.embed(texts(10)); // its turn came long ago: runs at once
    m.embed(texts(10)); // but the next must wait its full second, not draw on the idle minute
    assertThat(waits).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void aWaitingBatchThatIsInterruptedFailsAsAModelErrorAndKeepsTheFlag() {
    ThrottledModel m =
        new ThrottledModel(
            model,
            new RecordRate(1, now::get),
            d -> {
              throw new InterruptedException();
            });
    m.embed(texts(1));
    assertThatThrownBy(() -> m.embed(texts(1))).isInstanceOf(ModelException.class);
    assertThat(Thread.interrupted()).isTrue();
    assertThat(ran).containsExactly(1);
  }

  @Test
  void aCapMustBePositive() {
    assertThatThrownBy(() -> new RecordRate(0, now::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }
}
