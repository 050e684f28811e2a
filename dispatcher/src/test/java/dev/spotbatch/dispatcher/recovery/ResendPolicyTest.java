package dev.spotbatch.dispatcher.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.queue.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResendPolicyTest {
  static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");
  final RecoverySettings settings =
      new RecoverySettings(
          Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(15), 3, 10);
  final ResendPolicy policy = new ResendPolicy(settings);

  static List<ItemSign> silent(int n) {
    List<ItemSign> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ItemSign("j-" + i, "j", T0.minusSeconds(600 - i)));
    }
    return out;
  }

  @Test
  void anItemCountsAsSilentOnlyAfterItsLeasePlusTheMargin() {
    assertThat(policy.silentBefore(T0)).isEqualTo(T0.minusSeconds(90));
  }

  @Test
  void eventsAreCurrentOnlyIfTheConsumerCaughtUpWithinAnInterval() {
    assertThat(policy.eventsCurrent(T0, Optional.empty())).isFalse();
    assertThat(policy.eventsCurrent(T0, Optional.of(T0.minusSeconds(15)))).isTrue();
    assertThat(policy.eventsCurrent(T0, Optional.of(T0.minusSeconds(16)))).isFalse();
  }

  @Test
  void nothingIsResentWhenNoRunningJobHasUnfinishedItems() {
    ResendPlan plan = policy.plan(0, QueueStats.of(0, 0, 0), silent(2));
    assertThat(plan.verdict()).isEqualTo(Verdict.NOTHING_UNFINISHED);
    assertThat(plan.resend()).isEmpty();
  }

  @Test
  void aBacklogThatHoldsEveryUnfinishedItemIsNeverDuplicated() {
    // 5 unfinished items, silent for long (a slow fleet), all still waiting, leased or delayed
    ResendPlan plan = policy.plan(5, QueueStats.of(3, 1, 1), silent(5));
    assertThat(plan.verdict()).isEqualTo(Verdict.QUEUE_HOLDS_THEM);
    assertThat(plan.resend()).isEmpty();
  }

  @Test
  void aQueueThatLostEverythingGetsTheSilentItemsBackOldestFirstUpToTheRoundsLimit() {
    List<ItemSign> silent = silent(5);
    ResendPlan plan = policy.plan(5, QueueStats.of(0, 0, 0), silent);
    assertThat(plan.verdict()).isEqualTo(Verdict.RESEND);
    assertThat(plan.missing()).isEqualTo(5);
    assertThat(plan.resend()).containsExactlyElementsOf(silent.subList(0, 3)); // max 3 a round
  }

  @Test
  void neverMoreAreResentThanMessagesAreMissing() {
    // 6 unfinished, 4 on the queue: at most 2 are lost, whichever they are
    ResendPlan plan = policy.plan(6, QueueStats.withoutInFlight(4, 0), silent(5));
    assertThat(plan.verdict()).isEqualTo(Verdict.RESEND);
    assertThat(plan.missing()).isEqualTo(2);
    assertThat(plan.resend()).hasSize(2);
  }

  @Test
  void missingMessagesOfItemsThatShowedASignOfLifeRecentlyAreLeftToTheirWorkers() {
    // e.g. completed items whose events are still on their way
    ResendPlan plan = policy.plan(4, QueueStats.of(0, 1, 0), List.of());
    assertThat(plan.verdict()).isEqualTo(Verdict.NONE_STALE);
    assertThat(plan.missing()).isEqualTo(3);
    assertThat(plan.resend()).isEmpty();
  }

  @Test
  void badSettingsAreRefusedWithThePropertyName() {
    assertThatThrownBy(
            () -> new RecoverySettings(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), 1, 1))
        .hasMessageContaining("spotbatch.recovery.lease");
    assertThatThrownBy(
            () ->
                new RecoverySettings(
                    Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1), 1, 11))
        .hasMessageContaining("spotbatch.recovery.dead-letter-batch");
  }
}
