package dev.spotbatch.dispatcher.fleet.local;

import dev.spotbatch.dispatcher.fleet.InterruptKind;
import dev.spotbatch.dispatcher.fleet.Interruption;
import dev.spotbatch.dispatcher.fleet.WorkerState;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Random interruptions of the local fleet: every running worker is interrupted as a Poisson process
 * with rate {@code perWorkerHour} per hour. With k eligible workers the next interruption comes
 * after an exponential time of rate k x perWorkerHour and hits one of them at random (the
 * superposition of k independent processes); the draw is repeated whenever k changes, which
 * memorylessness allows. A worker is eligible while it is RUNNING and has no pending interruption,
 * so a worker never has two. What kind of interruption comes from the {@link ChaosMix}. Call {@link
 * #tick()} often (every second); the clock and the random generator are injected.
 */
public final class ChaosScheduler {
  /** What chaos acts on (the local fleet). */
  public interface Target {
    List<WorkerView> workers();

    Interruption interrupt(String workerId, InterruptKind kind, Duration deadline);
  }

  private static final Logger log = LoggerFactory.getLogger(ChaosScheduler.class);

  private final Target target;
  private final double perWorkerHour;
  private final ChaosMix mix;
  private final Clock clock;
  private final RandomGenerator random;
  private final Map<String, Long> injected = new LinkedHashMap<>();
  private Instant next;
  private int drawnFor;

  public ChaosScheduler(
      Target target, double perWorkerHour, ChaosMix mix, Clock clock, RandomGenerator random) {
    if (!(perWorkerHour > 0) || Double.isInfinite(perWorkerHour)) {
      throw new IllegalArgumentException("chaos per-worker-hour must be > 0 (0 turns chaos off)");
    }
    this.target = target;
    this.perWorkerHour = perWorkerHour;
    this.mix = mix;
    this.clock = clock;
    this.random = random;
    mix.entries().forEach(e -> injected.put(e.label(), 0L));
  }

  /** Workers chaos may interrupt now. */
  static boolean eligible(WorkerView w) {
    return w.state() == WorkerState.RUNNING
        && (w.interruption() == null || w.interruption().kind() == InterruptKind.REBALANCE);
  }

  /** Injects the interruptions that are due; returns them. */
  public synchronized List<Interruption> tick() {
    List<Interruption> done = new ArrayList<>();
    Instant now = clock.instant();
    List<WorkerView> candidates = new ArrayList<>();
    for (WorkerView w : target.workers()) {
      if (eligible(w)) {
        candidates.add(w);
      }
    }
    while (!candidates.isEmpty()) {
      if (next == null || drawnFor != candidates.size()) {
        next = now.plus(interArrival(candidates.size()));
        drawnFor = candidates.size();
      }
      if (now.isBefore(next)) {
        break;
      }
      WorkerView victim = candidates.remove(random.nextInt(candidates.size()));
      ChaosMix.Entry what = mix.pick(random);
      next = null;
      try {
        Interruption i = target.interrupt(victim.id(), what.kind(), what.deadline());
        injected.merge(what.label(), 1L, Long::sum);
        done.add(i);
        log.info(
            "chaos: {} interrupted by {}{}",
            victim.id(),
            what.label(),
            i.deadline() == null ? "" : " (deadline " + i.deadline() + ")");
      } catch (RuntimeException e) {
        log.info("chaos: could not interrupt {}: {}", victim.id(), e.getMessage());
      }
    }
    if (candidates.isEmpty()) {
      next = null;
    }
    return done;
  }

  /** When the next interruption is due (null: no eligible worker yet). */
  public synchronized Optional<Instant> next() {
    return Optional.ofNullable(next);
  }

  /** Interruptions injected so far, by mix label. */
  public synchronized Map<String, Long> injected() {
    return new LinkedHashMap<>(injected);
  }

  public double perWorkerHour() {
    return perWorkerHour;
  }

  public ChaosMix mix() {
    return mix;
  }

  private Duration interArrival(int workers) {
    double ratePerSecond = perWorkerHour * workers / 3600.0;
    double u = random.nextDouble(); // [0, 1)
    double seconds = -Math.log(1.0 - u) / ratePerSecond;
    return Duration.ofNanos((long) Math.min(seconds * 1e9, Long.MAX_VALUE / 2.0));
  }
}
