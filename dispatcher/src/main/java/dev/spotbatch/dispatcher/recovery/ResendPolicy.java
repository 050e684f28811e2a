package dev.spotbatch.dispatcher.recovery;

import dev.spotbatch.queue.QueueStats;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which items to send again, as a pure function of the time, the queue's depth and the items' last
 * signs of life.
 *
 * <p>An unfinished item is on the queue (waiting, leased, or delayed for a retry) or it is lost.
 * The queue cannot say which items it holds, only how many messages: when it holds fewer messages
 * than there are unfinished items, at least the difference is lost (messages of finished or
 * cancelled items and duplicates only make the queue look fuller, so the difference never
 * overstates the loss). Of the unfinished items, those silent for longer than the lease plus a
 * margin are the lost ones: a leased item is heartbeated and reports its events, a waiting one is
 * at worst re-sent with the others once the backlog drains. The oldest silent items are re-sent
 * first, at most as many as are missing, so a round never grows a backlog it cannot see.
 *
 * <p>Re-sending is safe: parts have deterministic names and are committed atomically, events are
 * applied idempotently, and the manifest lists one tiling of each item's range, so an item run
 * twice still appears once.
 */
public final class ResendPolicy {
  private final RecoverySettings settings;

  public ResendPolicy(RecoverySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Whether worker events are applied up to date: the event consumer found the event queue drained
   * within the last interval. Until then a round decides nothing (after a long outage of the
   * dispatcher, completions of many items wait on the event queue; they are not lost).
   */
  public boolean eventsCurrent(Instant now, Optional<Instant> eventsCaughtUpAt) {
    return eventsCaughtUpAt.isPresent()
        && !eventsCaughtUpAt.get().isBefore(now.minus(settings.interval()));
  }

  /** Items whose last sign of life is before this instant are silent for too long. */
  public Instant silentBefore(Instant now) {
    return now.minus(settings.staleAfter());
  }

  /**
   * Decides a round.
   *
   * @param unfinished how many items of running jobs are not final
   * @param queue the work queue's depth now
   * @param silent unfinished items silent since before {@link #silentBefore}, oldest first
   */
  public ResendPlan plan(long unfinished, QueueStats queue, List<ItemSign> silent) {
    if (unfinished == 0) {
      return new ResendPlan(Verdict.NOTHING_UNFINISHED, 0, List.of());
    }
    long missing = unfinished - queue.total();
    if (missing <= 0) {
      return new ResendPlan(Verdict.QUEUE_HOLDS_THEM, 0, List.of());
    }
    if (silent.isEmpty()) {
      return new ResendPlan(Verdict.NONE_STALE, missing, List.of());
    }
    int n = (int) Math.min(Math.min(missing, settings.maxResendsPerRound()), silent.size());
    return new ResendPlan(Verdict.RESEND, missing, silent.subList(0, n));
  }
}
