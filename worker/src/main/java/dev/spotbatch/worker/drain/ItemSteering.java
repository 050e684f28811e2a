package dev.spotbatch.worker.drain;

import dev.spotbatch.drain.DrainDecision;
import dev.spotbatch.drain.DrainPlanner;
import dev.spotbatch.drain.DrainSettings;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.worker.item.ItemCommitter;
import dev.spotbatch.worker.lease.AbandonReason;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ActiveItems;
import dev.spotbatch.worker.lease.LeaseLoop;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drain's work on each item it holds: hands back every lease with no record written, tells each
 * running item its {@link DrainDecision} from the {@link DrainPlanner} every tick, and abandons
 * what is left at {@code deadline - abandon}. The {@link Drainer} runs it on its thread.
 */
final class ItemSteering {
  // the drain's log: operators follow one logger for the whole drain
  private static final Logger log = LoggerFactory.getLogger(Drainer.class);

  private final LeaseLoop leaseLoop;
  private final ActiveItems items;
  private final ItemCommitter committer;
  private final DrainPlanner planner;
  private final DrainSettings settings;
  private final Clock clock;

  ItemSteering(
      LeaseLoop leaseLoop,
      ActiveItems items,
      ItemCommitter committer,
      DrainSettings settings,
      Clock clock) {
    this.leaseLoop = leaseLoop;
    this.items = items;
    this.committer = committer;
    this.settings = settings;
    this.planner = new DrainPlanner(settings.margins().checkpoint());
    this.clock = clock;
  }

  /** Hands back, plans and waits until every item ended or time is up. */
  void work(Instant d, Set<ActiveItem> seen) {
    Instant cutoff = planner.cutoff(d);
    Instant abandonAt = d.minus(settings.margins().abandon());
    // a lease call in flight when leasing stopped ends within the poll wait; its leases go back
    Instant loopWait = clock.instant().plus(leaseLoop.pollWait()).plusSeconds(1);
    boolean abandonedAll = false;
    while (true) {
      Instant now = clock.instant();
      seen.addAll(items.snapshot());
      boolean running = false;
      takeBackUnstarted(seen);
      for (ActiveItem a : seen) {
        if (a.outcome() != null || a.state() == ActiveItem.State.TAKEN_BACK) {
          continue;
        }
        running = true;
        if (abandonedAll) {
          continue;
        }
        if (!now.isBefore(abandonAt)) {
          a.abandon(AbandonReason.SHUTDOWN);
          log.warn("drain: item {} still running at {}; abandoned to its lease", itemId(a), now);
          continue;
        }
        DrainDecision next =
            !now.isBefore(cutoff)
                ? DrainDecision.CHECKPOINT
                : planner.decide(now, d, state(a, now));
        DrainDecision before = a.decision();
        a.decide(next);
        if (before != a.decision()) {
          log.info("drain: item {} -> {}", itemId(a), a.decision());
        }
      }
      if (!now.isBefore(abandonAt)) {
        abandonedAll = true;
      }
      boolean loopAlive = leaseLoop.isLoopAlive() && now.isBefore(loopWait);
      if (!running && !loopAlive) {
        return;
      }
      if (abandonedAll) {
        return; // what still runs is left to its lease; the time left is for stopping and exit
      }
      if (!sleep()) {
        for (ActiveItem a : seen) {
          if (a.outcome() == null) {
            a.abandon(AbandonReason.SHUTDOWN);
          }
        }
        log.warn("drain interrupted; what still runs is left to its lease");
        return;
      }
    }
  }

  /**
   * Takes back every lease with no record written and hands them back in parallel (a thread per
   * lease beyond the first), waiting for all: each hand-back is one or two broker round trips.
   */
  void takeBackUnstarted(Set<ActiveItem> seen) {
    List<ActiveItem> taken = new ArrayList<>();
    for (ActiveItem a : seen) {
      if (a.outcome() == null && a.takeBack()) {
        taken.add(a);
      }
    }
    List<Thread> threads = new ArrayList<>();
    for (int i = 1; i < taken.size(); i++) {
      ActiveItem a = taken.get(i);
      Thread t = new Thread(() -> handBack(a), "drainer-hand-back-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    if (!taken.isEmpty()) {
      handBack(taken.get(0));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the drain's sleep sees it and gives up
        return;
      }
    }
  }

  private void handBack(ActiveItem a) {
    a.ended(committer.handBack(a), clock.instant());
  }

  private DrainPlanner.ItemState state(ActiveItem a, Instant now) {
    ActiveItem.Progress p = a.progress(Clock.fixed(now, clock.getZone()));
    WorkItem item = a.lease().item();
    long position = Math.max(item.range().start(), Math.min(p.position(), item.range().end()));
    return new DrainPlanner.ItemState(
        item.itemId(),
        p.total(),
        item.range().start(),
        position,
        item.range().end(),
        p.recordsPerSecond());
  }

  /** Waits one tick; false if interrupted (the drain then gives up on what still runs). */
  private boolean sleep() {
    try {
      Thread.sleep(Math.max(1, settings.tick().toMillis()));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String itemId(ActiveItem a) {
    return a.lease().item().itemId();
  }
}
