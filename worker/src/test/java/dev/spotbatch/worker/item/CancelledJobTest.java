package dev.spotbatch.worker.item;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemReleased;
import dev.spotbatch.event.ItemStarted;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.store.CancelMarker;
import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.store.local.LocalObjectStore;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ItemOutcome;
import dev.spotbatch.worker.lease.LeaseLoop;
import dev.spotbatch.worker.testing.Fixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancel on the worker: an item of a job whose cancel marker is in the store is acknowledged
 * without work, and a running one stops at its next chunk and writes nothing.
 */
class CancelledJobTest {
  static final int RECORDS = 40; // the fixture's batches hold 4: ten chunks

  @TempDir Path root;
  Path input;
  Path out;
  String output;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    Path data = Files.createDirectories(root.resolve("data"));
    input = data.resolve("docs.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < RECORDS; i++) {
      sb.append("{\"id\":\"r").append(i).append("\",\"text\":\"record ").append(i).append("\"}\n");
    }
    Files.writeString(input, sb.toString(), StandardCharsets.UTF_8);
    output = StoreUri.of(data).asPrefix().resolve("out/").toString();
    out = StoreUri.parse(output).toPath();
    f =
        new Fixture(
            new LocalObjectStore(List.of(data)),
            Files.createDirectories(root.resolve("tmp")),
            StorageRoots.of("test", List.of(StoreUri.of(data).toString())));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void anItemOfACancelledJobIsAcknowledgedWithoutWork() throws Exception {
    f.queue.send(List.of(item(0)));
    cancel();

    assertThat(f.processor.process(f.leaseOne())).isEqualTo(ItemOutcome.CANCELLED);

    assertThat(f.model.embedded.get()).isZero();
    assertThat(parts()).isEmpty();
    assertThat(f.queue.stats().total()).isZero(); // acknowledged: never delivered again
    List<WorkerEvent> events = f.drainAllEvents();
    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            ItemReleased.class,
            r -> assertThat(r.reason()).isEqualTo(ItemReleased.ReleaseReason.JOB_CANCELLED));
  }

  @Test
  void aRunningItemStopsAtItsNextChunkAndWritesNothing() throws Exception {
    f.queue.send(List.of(item(0)));
    ActiveItem active = f.leaseOne();
    f.model.entered = new CountDownLatch(1);
    f.model.gate = new CountDownLatch(1);
    CompletableFuture<ItemOutcome> running =
        CompletableFuture.supplyAsync(() -> f.processor.process(active));
    assertThat(f.model.entered.await(5, TimeUnit.SECONDS)).isTrue(); // first chunk in the model

    cancel();

    // the wait for the model looks again within half a second, without waiting for the model
    assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo(ItemOutcome.CANCELLED);
    f.model.gate.countDown();
    assertThat(f.model.embedded.get()).isLessThanOrEqualTo(4); // at most the chunk in the model
    assertThat(parts()).isEmpty();
    assertThat(f.queue.stats().total()).isZero();
    assertThat(f.drainAllEvents())
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("ItemStarted", "ItemReleased");
  }

  /**
   * The goal of issue 10: after a cancel, at most one in-flight item per worker slot is processed
   * further. Two slots, twelve queued items, a model slowed to ~2 ms per record; the job is
   * cancelled once the first items run. The figures go to the report (see the log line).
   */
  @Test
  void afterACancelAtMostTheItemsInFlightAreProcessedFurther() throws Exception {
    int slots = 2;
    List<WorkItem> items = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      items.add(item(i));
    }
    f.queue.send(items);
    f.model.delayPerRecord = Duration.ofMillis(2);
    LeaseLoop loop =
        new LeaseLoop(
            f.queue,
            slots,
            Duration.ofMillis(50),
            Fixture.LEASE_TIME,
            Duration.ofMillis(50),
            f.items,
            f.processor::process,
            f.clock);
    loop.start();
    List<WorkerEvent> before = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (before.stream().noneMatch(ItemCompleted.class::isInstance)
        && System.nanoTime() < deadline) {
      before.addAll(f.drainAllEvents());
      Thread.sleep(5);
    }
    int embeddedAtCancel = f.model.embedded.get();
    cancel();
    int inFlight = f.items.size();
    before.addAll(f.drainAllEvents());

    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (f.queue.stats().total() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    loop.stopLeasing(Duration.ofSeconds(2));
    assertThat(loop.awaitRunning(Duration.ofSeconds(5))).isTrue();
    List<WorkerEvent> after = f.drainAllEvents();

    long startedAfter = after.stream().filter(ItemStarted.class::isInstance).count();
    long completedAfter = after.stream().filter(ItemCompleted.class::isInstance).count();
    List<WorkerEvent> all = new ArrayList<>(before);
    all.addAll(after);
    long cancelled =
        all.stream()
            .filter(ItemReleased.class::isInstance)
            .map(ItemReleased.class::cast)
            .filter(r -> r.reason() == ItemReleased.ReleaseReason.JOB_CANCELLED)
            .count();
    int embeddedAfter = f.model.embedded.get() - embeddedAtCancel;
    System.out.printf(
        "cancel overrun: %d slots, %d items in flight at the cancel, %d started after it,"
            + " %d completed after it, %d acknowledged as cancelled, %d records embedded after"
            + " it (%d per item)%n",
        slots, inFlight, startedAfter, completedAfter, cancelled, embeddedAfter, RECORDS);
    assertThat(f.queue.stats().total()).isZero(); // every queued item acknowledged
    assertThat(startedAfter).isZero();
    assertThat(completedAfter).isLessThanOrEqualTo(slots); // at most one per slot goes on
    // each item in flight runs at most what it had handed to the model when it next looked: the
    // chunk in the model, the one read ahead behind it, and one more if the model was between them
    assertThat(embeddedAfter).isLessThanOrEqualTo(slots * 3 * 4);
    long completed = all.stream().filter(ItemCompleted.class::isInstance).count();
    assertThat(cancelled + completed).isEqualTo(items.size()); // each item ended exactly once
  }

  private void cancel() {
    f.store.put(CancelMarker.of(output), "{}".getBytes(StandardCharsets.UTF_8));
  }

  private List<Path> parts() throws Exception {
    if (!Files.exists(out)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(out)) {
      return files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
    }
  }

  private WorkItem item(int index) throws Exception {
    return new WorkItem(
        "job-1",
        "job-1-" + index,
        index,
        "fake",
        StoreUri.of(input).toString(),
        "docs.jsonl",
        new ByteRange(0, Files.size(input)),
        InputFormat.JSONL,
        "text",
        "id",
        output,
        Attempts.NONE,
        3);
  }
}
