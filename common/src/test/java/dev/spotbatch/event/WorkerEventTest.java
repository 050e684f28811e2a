package dev.spotbatch.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.testing.Samples;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerEventTest {
  static String kind(WorkerEvent e) {
    return e.match(
        item ->
            item.matchItem(
                c -> "completed",
                f -> "failed",
                k -> "checkpointed",
                st -> "started",
                r -> "released"),
        d -> "draining",
        s -> "stopped");
  }

  @Test
  void matchCallsTheFunctionForTheEventsOwnType() {
    List<WorkerEvent> all = Samples.everyEventType();

    assertThat(all)
        .extracting(WorkerEventTest::kind)
        .containsExactly(
            "completed", "failed", "checkpointed", "started", "released", "draining", "stopped");
  }

  @Test
  void everyItemEventNamesItsJobItemAndStart() {
    List<ItemEvent> items =
        List.of(
            Samples.completed(1),
            Samples.failed(2),
            Samples.checkpointed(3),
            Samples.started(4),
            Samples.released(5));

    assertThat(items).extracting(ItemEvent::jobId).containsOnly("job-1");
    assertThat(items)
        .extracting(ItemEvent::itemId)
        .containsExactly("item-1", "item-2", "item-3", "item-4", "item-5");
    assertThat(items).extracting(ItemEvent::startedAt).doesNotContainNull();
  }
}
