package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** What the autoscaler remembers of one pool between ticks. */
final class PoolMemory {
  private record Need(Instant at, int workers) {}

  /** The working workers last decided. */
  int target;

  /** The desired capacity last decided (target + leaving). */
  int desired;

  /** The leaving workers last seen. */
  int leaving;

  /** When the target last changed; scale-in waits a cool-down after it. */
  Instant lastChange;

  /** The workers already asked to stop leasing (a decision is written once per worker). */
  final java.util.Set<String> retiring = new java.util.HashSet<>();

  private final Deque<Need> recent = new ArrayDeque<>();

  PoolMemory(int target, int desired, int leaving, Instant now) {
    this.target = target;
    this.desired = desired;
    this.leaving = leaving;
    this.lastChange = now;
  }

  /** Remembers this tick's need and forgets needs older than {@code window}. */
  void remember(Instant now, int workers, Duration window) {
    recent.addLast(new Need(now, workers));
    Instant since = now.minus(window);
    while (!recent.isEmpty() && recent.peekFirst().at().isBefore(since)) {
      recent.removeFirst();
    }
  }

  /** The highest need within the window (this tick's included). */
  int highestRecentNeed() {
    return recent.stream().mapToInt(Need::workers).max().orElse(0);
  }

  boolean cooledDown(Instant now, Duration cooldown) {
    return !now.isBefore(lastChange.plus(cooldown));
  }
}
