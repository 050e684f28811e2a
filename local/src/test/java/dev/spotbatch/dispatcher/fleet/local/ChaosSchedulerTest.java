package dev.spotbatch.dispatcher.fleet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.dispatcher.fleet.InterruptKind;
import dev.spotbatch.dispatcher.fleet.Interruption;
import dev.spotbatch.dispatcher.fleet.WorkerState;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import dev.spotbatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChaosSchedulerTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  /**
   * A fleet of workers that are RUNNING unless interrupted; an interruption lasts {@code outage}.
   */
  final class FakeFleet implements ChaosScheduler.Target {
    final int size;
    final Duration outage;
    final Map<String, Interruption> pending = new HashMap<>();
    final List<Interruption> log = new ArrayList<>();
    int overlaps;

    FakeFleet(int size, Duration outage) {
      this.size = size;
      this.outage = outage;
    }

    @Override
    public List<WorkerView> workers() {
      pending.values().removeIf(i -> !clock.instant().isBefore(i.requestedAt().plus(outage)));
      List<WorkerView> out = new ArrayList<>();
      for (int n = 1; n <= size; n++) {
        String id = "local-" + n;
        Interruption i = pending.get(id);
        out.add(
            new WorkerView(
                id,
                i == null ? WorkerState.RUNNING : WorkerState.DRAINING,
                0,
                new WorkerView.Machine(1, null, null, (long) n, null, null),
                null,
                i,
                List.of()));
      }
      return out;
    }

    @Override
    public Interruption interrupt(String workerId, InterruptKind kind, Duration deadline) {
      if (pending.containsKey(workerId)) {
        overlaps++;
      }
      Instant now = clock.instant();
      Duration d = deadline != null ? deadline : kind.defaultDeadline();
      Interruption i =
          new Interruption(workerId, workerId, kind, now, d == null ? null : now.plus(d));
      pending.put(workerId, i);
      log.add(i);
      return i;
    }
  }

  @Test
  void interruptsEachWorkerAtTheConfiguredRateWithTheConfiguredMix() {
    FakeFleet fleet = new FakeFleet(4, Duration.ZERO); // workers come back at once
    ChaosScheduler chaos =
        new ChaosScheduler(
            fleet, 30, ChaosMix.parse(ChaosMix.DEFAULT), clock, new SplittableRandom(42));
    int hours = 200;
    for (int s = 0; s < hours * 3600; s++) {
      clock.advance(Duration.ofSeconds(1));
      chaos.tick();
    }
    double expected = 30.0 * 4 * hours; // 24,000
    assertThat((double) fleet.log.size()).isBetween(expected * 0.96, expected * 1.04);
    Map<String, Long> injected = chaos.injected();
    long total = injected.values().stream().mapToLong(Long::longValue).sum();
    assertThat(total).isEqualTo(fleet.log.size());
    assertThat(injected.get("spot120") / (double) total).isBetween(0.38, 0.42);
    assertThat(injected.get("spot5") / (double) total).isBetween(0.18, 0.22);
    assertThat(injected.get("sigterm") / (double) total).isBetween(0.13, 0.17);
    assertThat(injected.get("kill") / (double) total).isBetween(0.13, 0.17);
    assertThat(injected.get("rebalance") / (double) total).isBetween(0.04, 0.06);
    assertThat(injected.get("lifecycle") / (double) total).isBetween(0.04, 0.06);
    // every worker is hit about equally
    Map<String, Integer> perWorker = new HashMap<>();
    fleet.log.forEach(i -> perWorker.merge(i.workerId(), 1, Integer::sum));
    assertThat(perWorker).hasSize(4);
    perWorker
        .values()
        .forEach(n -> assertThat((double) n).isBetween(expected / 4 * 0.92, expected / 4 * 1.08));
    // spot5 has a 5 s deadline, spot120 the default of 120 s
    assertThat(fleet.log)
        .filteredOn(i -> i.kind() == InterruptKind.SPOT)
        .extracting(i -> Duration.between(i.requestedAt(), i.deadline()).toSeconds())
        .containsOnly(5L, 120L);
  }

  @Test
  void interArrivalTimesAreExponential() {
    FakeFleet fleet = new FakeFleet(1, Duration.ZERO);
    ChaosScheduler chaos =
        new ChaosScheduler(fleet, 60, ChaosMix.parse("kill:1"), clock, new SplittableRandom(7));
    for (int s = 0; s < 500 * 3600; s++) {
      clock.advance(Duration.ofSeconds(1));
      chaos.tick();
    }
    // rate 1/min: mean gap 60 s; P(gap > 120 s) = e^-2 ~ 0.135 for an exponential distribution
    List<Long> gaps = new ArrayList<>();
    for (int k = 1; k < fleet.log.size(); k++) {
      gaps.add(
          Duration.between(fleet.log.get(k - 1).requestedAt(), fleet.log.get(k).requestedAt())
              .toSeconds());
    }
    double mean = gaps.stream().mapToLong(Long::longValue).average().orElseThrow();
    assertThat(mean).isBetween(57.0, 63.0);
    double longGaps = gaps.stream().filter(g -> g > 120).count() / (double) gaps.size();
    assertThat(longGaps).isBetween(0.12, 0.15);
  }

  @Test
  void neverInterruptsAWorkerThatIsAlreadyInterrupted() {
    FakeFleet fleet = new FakeFleet(3, Duration.ofMinutes(3)); // a long drain and replacement
    ChaosScheduler chaos =
        new ChaosScheduler(
            fleet, 120, ChaosMix.parse(ChaosMix.DEFAULT), clock, new SplittableRandom(1));
    for (int s = 0; s < 20 * 3600; s++) {
      clock.advance(Duration.ofSeconds(1));
      chaos.tick();
    }
    assertThat(fleet.log).hasSizeGreaterThan(500);
    assertThat(fleet.overlaps).isZero();
    // with every worker busy for 3 minutes after each hit, chaos waits
    assertThat((double) fleet.log.size()).isLessThan(120.0 * 3 * 20);
  }

  @Test
  void doesNothingWithoutRunningWorkers() {
    FakeFleet fleet = new FakeFleet(0, Duration.ZERO);
    ChaosScheduler chaos =
        new ChaosScheduler(fleet, 3600, ChaosMix.parse(null), clock, new SplittableRandom(3));
    for (int s = 0; s < 100; s++) {
      clock.advance(Duration.ofSeconds(1));
      assertThat(chaos.tick()).isEmpty();
    }
    assertThat(chaos.next()).isEmpty();
  }

  @Test
  void isDeterministicForAFixedSeed() {
    List<String> a = run(99);
    List<String> b = run(99);
    assertThat(a).isEqualTo(b).isNotEmpty();
    assertThat(run(100)).isNotEqualTo(a);
  }

  private List<String> run(long seed) {
    MutableClock c = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    FakeFleet fleet = new FakeFleet(3, Duration.ofSeconds(30));
    ChaosScheduler chaos =
        new ChaosScheduler(
            fleet, 60, ChaosMix.parse(ChaosMix.DEFAULT), c, new SplittableRandom(seed));
    List<String> out = new ArrayList<>();
    for (int s = 0; s < 3600; s++) {
      c.advance(Duration.ofSeconds(1));
      chaos.tick().forEach(i -> out.add(i.workerId() + ":" + i.kind()));
    }
    return out;
  }

  @Test
  void parsesAMixAndRejectsBadOnes() {
    ChaosMix mix = ChaosMix.parse("spot120:40, spot5=20%, sigterm:15,kill:15");
    assertThat(mix.entries())
        .extracting(ChaosMix.Entry::label)
        .containsExactly("spot120", "spot5", "sigterm", "kill");
    assertThat(mix.entries().get(1).deadline()).isEqualTo(Duration.ofSeconds(5));
    assertThat(mix.entries().get(2).deadline()).isNull();
    assertThat(mix.entries().get(1).weight()).isEqualTo(20.0);
    assertThatThrownBy(() -> ChaosMix.parse("meteor:10"))
        .hasMessageContaining("spot|rebalance|lifecycle|sigterm|kill");
    assertThatThrownBy(() -> ChaosMix.parse("kill5:10"))
        .hasMessageContaining("kill has no deadline");
    assertThatThrownBy(() -> ChaosMix.parse("spot:x"))
        .hasMessageContaining("<kind>[<deadline seconds>]:<weight>");
    assertThatThrownBy(() -> ChaosMix.parse("spot:0")).hasMessageContaining("positive weight");
    assertThatThrownBy(
            () ->
                new ChaosScheduler(
                    new FakeFleet(1, Duration.ZERO), 0, mix, clock, new SplittableRandom(1)))
        .hasMessageContaining("> 0");
  }
}
