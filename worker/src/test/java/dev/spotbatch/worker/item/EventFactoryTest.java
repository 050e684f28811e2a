package dev.spotbatch.worker.item;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.event.DrainReport;
import dev.spotbatch.event.FailureCause;
import dev.spotbatch.event.ItemCheckpointed;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.WorkerDraining;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.testing.MutableClock;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.output.PartWriter;
import dev.spotbatch.worker.testing.Fixture;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFactoryTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final InstanceFacts FACTS = InstanceFacts.local("worker-7");

  final MutableClock clock = new MutableClock(T0.plusSeconds(30));
  final EventFactory events = new EventFactory("worker-7", FACTS, clock, clock.instant(), null);
  final WorkItem item = Fixture.item("i1", "s3://data/in/docs.jsonl", 1000, "s3://data/out/", 1, 3);

  @Test
  void aCompletedItemReportsItsWholeRangeItsPartsAndItsAttempts() {
    PartWriter.Committed committed =
        new PartWriter.Committed(item.partPath(), 9, item.errorPartPath(), 2);

    ItemCompleted done = events.completed(item, T0, committed);

    assertThat(done.range()).isEqualTo(new ByteRange(0, 1000));
    assertThat(done.part().path()).isEqualTo(item.partPath());
    assertThat(done.part().records()).isEqualTo(9);
    assertThat(done.errorPart().records()).isEqualTo(2);
    assertThat(done.errorPart().range()).isEqualTo(done.range());
    assertThat(done.attempts()).isEqualTo(new Attempts(1, 0));
    assertThat(done.startedAt()).isEqualTo(T0);
    assertThat(done.at()).isEqualTo(clock.instant());
  }

  @Test
  void aCleanItemHasNoErrorPart() {
    ItemCompleted done =
        events.completed(item, T0, new PartWriter.Committed(item.partPath(), 9, null, 0));

    assertThat(done.errorPart()).isNull();
  }

  @Test
  void aCheckpointCoversItsRangeUpToWhereTheContinuationStarts() {
    WorkItem rest = item.continueFrom(400);
    PartWriter.Committed committed =
        new PartWriter.Committed(item.partPath(400), 4, item.errorPartPath(400), 1);

    ItemCheckpointed cp = events.checkpointed(item, T0, committed, rest);

    assertThat(cp.part().range()).isEqualTo(new ByteRange(0, 400));
    assertThat(cp.errorPart().range()).isEqualTo(new ByteRange(0, 400));
    assertThat(cp.remaining()).isEqualTo(new ByteRange(400, 1000));
    assertThat(cp.attempts()).isEqualTo(item.attempts()); // of the interrupted lease
  }

  @Test
  void aFailureCarriesTheAttemptsIncludingIt() {
    WorkItem next = item.afterFailure();

    ItemFailed failed =
        events.failed(item, T0, "model exploded", next.attempts(), false, FailureCause.ITEM);

    assertThat(failed.attempts().failures()).isEqualTo(2);
    assertThat(failed.reason()).isEqualTo("model exploded");
    assertThat(failed.terminal()).isFalse();
    assertThat(failed.range()).isEqualTo(item.range());
  }

  @Test
  void theDrainsEventsCarryTheNoticeTheDeadlineAndTheReport() {
    Notice notice =
        new Notice(
            "aws-spot:1", NoticeKind.AWS_SPOT_INTERRUPTION, T0, T0.plusSeconds(120), T0, "test");
    DrainReport report =
        new DrainReport(
            notice.kind(), notice.id(), T0, T0, T0.plusSeconds(120), null, 0, 1, 0, 0, T0);

    WorkerDraining draining = events.draining(notice, T0.plusSeconds(115));

    assertThat(draining.noticeId()).isEqualTo("aws-spot:1");
    assertThat(draining.kind()).isEqualTo(NoticeKind.AWS_SPOT_INTERRUPTION);
    assertThat(draining.deadline()).isEqualTo(T0.plusSeconds(115));
    assertThat(events.stopped(report).report()).isEqualTo(report);
  }

  @Test
  void everyEventNamesThisWorkerAndHasAnIdOfItsOwn() {
    PartWriter.Committed committed = new PartWriter.Committed(item.partPath(), 1, null, 0);
    List<WorkerEvent> all =
        List.of(
            events.completed(item, T0, committed),
            events.completed(item, T0, committed),
            events.failed(item, T0, "x", item.afterFailure().attempts(), true, FailureCause.ITEM));

    assertThat(all).extracting(WorkerEvent::workerId).containsOnly("worker-7");
    assertThat(all).extracting(WorkerEvent::instance).containsOnly(FACTS);
    assertThat(all).extracting(WorkerEvent::eventId).doesNotHaveDuplicates();
  }
}
