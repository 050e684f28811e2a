package dev.spotbatch.worker.drain;

import dev.spotbatch.event.DrainReport;
import dev.spotbatch.event.LostLease;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ItemOutcome;
import dev.spotbatch.worker.lease.LeaseLoop;
import dev.spotbatch.worker.notice.Notice;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a drain did, counted from the items it held and the leases the lease loop gave back: the
 * {@link DrainReport} and the leases whose work so far is lost.
 */
record DrainTally(DrainReport report, List<LostLease> lost) {

  static DrainTally count(
      Notice n, Instant d, Set<ActiveItem> seen, List<LeaseLoop.GivenBack> givenBack, Clock clock) {
    // items whose unstarted lease went back, counted once each (the drain may hand an item back
    // and the lease call in flight receive it and give it back again): when it last went back
    Map<String, Instant> back = new HashMap<>();
    for (LeaseLoop.GivenBack g : givenBack) {
      back.merge(g.jobId() + "/" + g.itemId(), g.at(), DrainTally::later);
    }
    int finished = 0;
    int checkpointed = 0;
    int abandoned = 0;
    List<LostLease> lost = new ArrayList<>();
    Instant now = clock.instant();
    for (ActiveItem a : seen) {
      ItemOutcome o = a.outcome();
      if (o == null || o == ItemOutcome.ABANDONED || o == ItemOutcome.LEFT_TO_EXPIRE) {
        // its work so far is redone by whoever gets the lease next: the dispatcher prices it
        WorkItem item = a.lease().item();
        lost.add(
            new LostLease(
                item.jobId(),
                item.itemId(),
                a.startedAt(),
                a.progress(Clock.fixed(now, clock.getZone())).total()));
      }
      if (o == null) {
        abandoned++;
        continue;
      }
      switch (o) {
        case HANDED_BACK -> {
          WorkItem item = a.lease().item();
          back.merge(item.jobId() + "/" + item.itemId(), a.endedAt(), DrainTally::later);
        }
        // the lease ended by itself before the deadline: done, given up, dropped or waiting out
        // an outage on the queue
        case COMPLETED, RETRYING, FAILED, CANCELLED, DEFERRED -> finished++;
        case CHECKPOINTED -> checkpointed++;
        case ABANDONED, LEFT_TO_EXPIRE -> abandoned++;
      }
    }
    int handedBack = back.size();
    Instant unstartedReturnedAt = back.values().stream().reduce(DrainTally::later).orElse(null);
    DrainReport r =
        new DrainReport(
            n.kind(),
            n.id(),
            n.noticeTime(),
            n.detectedAt(),
            d,
            unstartedReturnedAt,
            handedBack,
            finished,
            checkpointed,
            abandoned,
            clock.instant());
    return new DrainTally(r, lost);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
