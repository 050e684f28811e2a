package dev.spotbatch.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthGroupsTest {

  private static List<Integer> pick(List<Integer> queued, int batchSize) {
    List<Integer> batch = new ArrayList<>();
    LengthGroups.pick(queued, batchSize, Integer::intValue, batch);
    return batch;
  }

  @Test
  void takesTheBatchOfSimilarLengthsThatHoldsTheOldestRecord() {
    List<Integer> queued = new ArrayList<>(List.of(50, 3, 120, 49, 4, 118, 51, 5, 119));
    assertThat(pick(queued, 3)).containsExactly(50, 49, 51); // the oldest is 50
    assertThat(queued).containsExactly(3, 120, 4, 118, 5, 119); // the rest, in arrival order
    assertThat(pick(queued, 3)).containsExactly(3, 4, 5);
    assertThat(pick(queued, 3)).containsExactly(120, 118, 119);
    assertThat(queued).isEmpty();
  }

  @Test
  void cutsFromTheLongestEndSoThePartialBatchIsTheShortest() {
    List<Integer> queued = new ArrayList<>(List.of(2, 10, 9, 1, 8));
    assertThat(pick(queued, 3)).containsExactly(2, 1); // the oldest (2) is in the short rest
    assertThat(pick(queued, 3)).containsExactly(10, 9, 8);
  }

  @Test
  void takesEverythingWhenNoMoreThanABatchIsQueued() {
    List<Integer> queued = new ArrayList<>(List.of(7, 1, 100));
    assertThat(pick(queued, 3)).containsExactly(7, 1, 100);
    assertThat(queued).isEmpty();
  }

  @Test
  void padsFarLessThanArrivalOrderOnVariedLengths() {
    Random random = new Random(13);
    List<Integer> lengths = new ArrayList<>();
    for (int i = 0; i < 512; i++) {
      lengths.add(3 + random.nextInt(118));
    }
    long arrival = 0;
    for (int i = 0; i < lengths.size(); i += 32) {
      arrival += 32L * Collections.max(lengths.subList(i, i + 32));
    }
    List<Integer> queued = new ArrayList<>(lengths);
    long grouped = 0;
    while (!queued.isEmpty()) {
      List<Integer> batch = pick(queued, 32);
      grouped += (long) batch.size() * Collections.max(batch);
    }
    long tokens = lengths.stream().mapToLong(Integer::longValue).sum();
    assertThat((double) grouped / tokens).isLessThan(1.15); // padding under 15%
    assertThat((double) arrival / tokens).isGreaterThan(1.6); // ~1.9 padded per real token
  }
}
