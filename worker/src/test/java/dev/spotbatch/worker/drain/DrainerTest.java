package dev.spotbatch.worker.drain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.drain.DrainDecision;
import dev.spotbatch.drain.DrainSettings;
import dev.spotbatch.drain.RebalancePolicy;
import dev.spotbatch.event.DrainReport;
import dev.spotbatch.event.ItemCheckpointed;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.WorkerDraining;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.queue.memory.InMemoryEventQueue;
import dev.spotbatch.queue.memory.InMemoryWorkQueue;
import dev.spotbatch.resilience.Backoff;
import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.store.local.LocalObjectStore;
import dev.spotbatch.testing.MutableClock;
import dev.spotbatch.worker.WorkerMetrics;
import dev.spotbatch.worker.inference.Batchers;
import dev.spotbatch.worker.inference.ModelRegistry;
import dev.spotbatch.worker.item.ChunkPipeline;
import dev.spotbatch.worker.item.EventFactory;
import dev.spotbatch.worker.item.ItemCommitter;
import dev.spotbatch.worker.item.ItemProcessor;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ActiveItems;
import dev.spotbatch.worker.lease.ItemOutcome;
import dev.spotbatch.worker.lease.LeaseLoop;
import dev.spotbatch.worker.lease.LeaseTesting;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.testing.DelegatingWorkQueue;
import dev.spotbatch.worker.testing.SteppedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The drain on the in-memory queues, a local object store and a model the test steps through. */
class DrainerTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Duration LEASE_TIME = Duration.ofMinutes(10);
  static final int RECORDS = 20;

  @TempDir Path root;
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final InMemoryWorkQueue queue = new InMemoryWorkQueue(clock, 100);
  final InMemoryEventQueue events = new InMemoryEventQueue();
  final SteppedModel model = new SteppedModel();
  final Batchers batchers =
      new Batchers(
          new ModelRegistry().register("fake", () -> model), 1, 4, Duration.ofMillis(1), null);
  final ActiveItems items = new ActiveItems();
  final List<WorkerEvent> seen = new ArrayList<>();
  final EventFactory eventFactory =
      new EventFactory("worker-1", InstanceFacts.local("worker-1"), clock, clock.instant(), null);
  String input;
  String output;
  Path outDir;
  ItemProcessor processor;
  LeaseLoop loop;

  @BeforeEach
  void setUp() throws Exception {
    Path data = Files.createDirectories(root.resolve("data"));
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < RECORDS; i++) {
      lines.append(String.format("{\"id\":\"r%02d\",\"text\":\"text %d\"}\n", i, i));
    }
    Path file = data.resolve("docs.jsonl");
    Files.writeString(file, lines, StandardCharsets.UTF_8);
    input = StoreUri.of(file).toString();
    output = StoreUri.of(data).asPrefix().resolve("out/").toString();
    outDir = StoreUri.parse(output).toPath();
    processor = processor(queue, batchers);
    loop = loop(queue);
  }

  ItemCommitter committer(WorkSource work) {
    Path data = root.resolve("data");
    return new ItemCommitter(
        work,
        events,
        new LocalObjectStore(List.of(data)),
        eventFactory,
        Backoff.exponential(Duration.ofSeconds(5), Duration.ofMinutes(15))
            .cappedAt(queue.maxDelay()),
        clock,
        WorkerMetrics.noop());
  }

  ItemProcessor processor(WorkSource work, Batchers with) throws Exception {
    Path data = root.resolve("data");
    return new ItemProcessor(
        committer(work),
        new ChunkPipeline(new LocalObjectStore(List.of(data)), clock, WorkerMetrics.noop()),
        with,
        StorageRoots.of("test", List.of(StoreUri.of(data).toString())),
        Files.createDirectories(root.resolve("tmp")));
  }

  LeaseLoop loop(WorkSource work) {
    return new LeaseLoop(
        work,
        2,
        Duration.ofMillis(10),
        LEASE_TIME,
        Duration.ofMillis(10),
        items,
        processor::process,
        clock);
  }

  ItemOutcome run(ItemProcessor with, ActiveItem active) {
    return LeaseTesting.run(with::process, items, active, clock);
  }

  @AfterEach
  void tearDown() {
    model.permits.release(1000);
    batchers.close(Duration.ofSeconds(1));
  }

  WorkItem item(String id, int index, int failures, int maxAttempts) throws Exception {
    long size = Files.size(StoreUri.parse(input).toPath());
    return new WorkItem(
        "job-1",
        id,
        index,
        "fake",
        input,
        "docs.jsonl",
        new ByteRange(0, size),
        InputFormat.JSONL,
        "text",
        "id",
        output,
        new Attempts(failures, 0),
        maxAttempts);
  }

  Drainer drainer() {
    return drainer(loop, queue);
  }

  Drainer drainer(LeaseLoop leaseLoop, WorkSource work) {
    return drainer(leaseLoop, work, RebalancePolicy.STOP_LEASING);
  }

  Drainer drainer(LeaseLoop leaseLoop, WorkSource work, RebalancePolicy rebalance) {
    return new Drainer(
        leaseLoop,
        items,
        committer(work),
        events,
        eventFactory,
        new DrainSettings(
            new DrainSettings.Margins(
                Duration.ofSeconds(5), Duration.ofMillis(2500), Duration.ofMillis(1250)),
            rebalance,
            Duration.ofSeconds(30),
            Duration.ofMillis(5)),
        clock);
  }

  Notice spotNotice(String id) {
    Instant now = clock.instant();
    return new Notice(id, NoticeKind.AWS_SPOT_INTERRUPTION, now, now.plusSeconds(120), now, "test");
  }

  List<ActiveItem> leaseAll(int max) {
    List<ActiveItem> out = new ArrayList<>();
    for (Lease lease : queue.lease(max, Duration.ZERO, LEASE_TIME)) {
      out.add(LeaseTesting.start(items, lease, clock));
    }
    return out;
  }

  CompletableFuture<ItemOutcome> runAsync(ActiveItem active) {
    return CompletableFuture.supplyAsync(() -> run(processor, active));
  }

  ItemOutcome runNow(ActiveItem active) {
    return run(processor, active);
  }

  List<WorkerEvent> events() {
    seen.addAll(events.receive(1000, Duration.ZERO).stream().map(EventDelivery::event).toList());
    return seen;
  }

  <T extends WorkerEvent> List<T> events(Class<T> type) {
    return events().stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<String> ids(String partPath) throws Exception {
    return Files.readAllLines(outDir.resolve(partPath)).stream()
        .map(l -> JSON.readTree(l).get("id").asString())
        .toList();
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(5);
    }
  }

  @Test
  void unstartedLeasesGoBackAtOnceAsContinuationsWithFailuresUnchanged() throws Exception {
    queue.send(List.of(item("a", 0, 1, 3), item("b", 1, 0, 3)));
    leaseAll(2);
    Drainer drainer = drainer();

    drainer.onNotice(spotNotice("aws-spot:1"));

    assertThat(drainer.awaitDrained(Duration.ofSeconds(10))).isTrue();
    List<Lease> back = queue.lease(10, Duration.ZERO, LEASE_TIME);
    assertThat(back)
        .extracting(l -> l.item().itemId(), l -> l.item().attempts())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("a", new Attempts(1, 1)),
            org.assertj.core.groups.Tuple.tuple("b", new Attempts(0, 1)));
    assertThat(back).allSatisfy(l -> assertThat(l.item().range().start()).isZero());
    DrainReport report = drainer.report();
    assertThat(report.handedBack()).isEqualTo(2);
    assertThat(report.unstartedReturnedAt()).isEqualTo(clock.instant());
    assertThat(report.finished() + report.checkpointed() + report.abandoned()).isZero();
  }

  @Test
  void aLeaseStillRunningAtTheDeadlineIsReportedLostWithTheWorkersMachineTime() throws Exception {
    queue.send(List.of(item("stuck", 3, 0, 3)));
    ActiveItem stuck = leaseAll(1).get(0);
    assertThat(stuck.begin()).isTrue();
    assertThat(stuck.own()).isTrue();
    stuck.progressed(4, 0, 40); // records done, and its thread never answers the drain
    Drainer drainer = drainer();
    Instant now = clock.instant();

    // a deadline already inside the abandon margin: nothing can be finished or checkpointed
    drainer.onNotice(
        new Notice(
            "aws-spot:stuck", NoticeKind.AWS_SPOT_INTERRUPTION, now, now.plusSeconds(2), now, "t"));

    assertThat(drainer.awaitDrained(Duration.ofSeconds(10))).isTrue();
    assertThat(drainer.report().abandoned()).isEqualTo(1);
    WorkerStopped stopped = events(WorkerStopped.class).get(0);
    assertThat(stopped.lost())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.jobId()).isEqualTo("job-1");
              assertThat(l.itemId()).isEqualTo("stuck");
              assertThat(l.startedAt()).isEqualTo(stuck.startedAt());
              assertThat(l.recordsDone()).isEqualTo(4);
            });
    assertThat(stopped.startedAt()).isNotNull().isBeforeOrEqualTo(stopped.at());
  }

  @Test
  void aCheckpointAndItsContinuationHoldEveryRecordExactlyOnce() throws Exception {
    queue.send(List.of(item("big", 7, 0, 3)));
    ActiveItem big = leaseAll(1).get(0);
    model.permits.release(2);
    CompletableFuture<ItemOutcome> running = runAsync(big);
    await(
        () -> big.progress(clock).total() == 8); // two chunks of 4 written, the third in the model
    clock.advance(Duration.ofSeconds(100)); // 0.08 records/s: 12 records left will not fit in 120 s
    Drainer drainer = drainer();
    AtomicReference<DrainReport> called = new AtomicReference<>();
    drainer.onDrained(called::set);

    drainer.onNotice(spotNotice("aws-spot:2"));
    await(() -> big.decision() == DrainDecision.CHECKPOINT);
    model.permits.release(100);

    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(ItemOutcome.CHECKPOINTED);
    assertThat(drainer.awaitDrained(Duration.ofSeconds(10))).isTrue();
    // the chunk the model ran is kept; the read-ahead chunk still queued was dropped unembedded
    assertThat(model.batches.get()).isEqualTo(3);
    ItemCheckpointed cp = events(ItemCheckpointed.class).get(0);
    long offset = cp.remaining().start();
    assertThat(cp.part().range()).isEqualTo(new ByteRange(0, offset));
    assertThat(cp.part().path()).isEqualTo(big.lease().item().partPath(offset));
    assertThat(cp.part().records()).isEqualTo(12);
    await(() -> called.get() != null); // callbacks run right after the drained signal
    assertThat(called.get()).isEqualTo(drainer.report());
    assertThat(drainer.report().checkpointed()).isEqualTo(1);

    // later, another worker takes the remainder
    List<ActiveItem> rest = leaseAll(10);
    assertThat(rest).hasSize(1);
    WorkItem continuation = rest.get(0).lease().item();
    assertThat(continuation.range())
        .isEqualTo(new ByteRange(offset, big.lease().item().range().end()));
    assertThat(continuation.attempts()).isEqualTo(new Attempts(0, 1));
    assertThat(runNow(rest.get(0))).isEqualTo(ItemOutcome.COMPLETED);

    List<String> all = new ArrayList<>(ids(cp.part().path()));
    all.addAll(ids(events(ItemCompleted.class).get(0).part().path()));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      expected.add(String.format("r%02d", i));
    }
    assertThat(all).containsExactlyElementsOf(expected);
  }

  @Test
  void aRunningItemToldToStopBeforeItsFirstChunkIsHandedBackUnchanged() throws Exception {
    queue.send(List.of(item("early", 4, 1, 3)));
    ActiveItem early = leaseAll(1).get(0);
    CompletableFuture<ItemOutcome> running = runAsync(early); // its first chunk waits in the model
    await(() -> early.state() == ActiveItem.State.STARTED);

    early.decide(DrainDecision.HAND_BACK);

    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(ItemOutcome.HANDED_BACK);
    Lease back = queue.lease(1, Duration.ZERO, LEASE_TIME).get(0);
    assertThat(back.item().range()).isEqualTo(early.lease().item().range());
    assertThat(back.item().attempts()).isEqualTo(new Attempts(1, 1));
    // no part, no failure: the dispatcher only hears that it started and was given back
    assertThat(events())
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("ItemStarted", "ItemReleased");
  }

  @Test
  void startedItemsWithNothingWrittenAreHandedBackByTheDrainWithoutWaitingForTheModel()
      throws Exception {
    queue.send(List.of(item("a", 0, 0, 3), item("b", 1, 2, 3)));
    List<ActiveItem> both = leaseAll(2);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    List<CompletableFuture<ItemOutcome>> running =
        both.stream()
            .map(a -> CompletableFuture.supplyAsync(() -> run(processor, a), threads))
            .toList();
    // one chunk is in the (stalled) model, the others wait in the batcher queue
    await(() -> model.entered.get() == 1);
    await(() -> both.stream().allMatch(a -> a.state() == ActiveItem.State.STARTED));
    Instant noticeAt = clock.instant();
    Drainer drainer = drainer();

    drainer.onNotice(spotNotice("aws-spot:10"));

    assertThat(drainer.awaitDrained(Duration.ofSeconds(10))).isTrue();
    // the drain itself ended both leases, on its first tick; the item threads only stopped
    assertThat(both).allSatisfy(a -> assertThat(a.state()).isEqualTo(ActiveItem.State.TAKEN_BACK));
    for (CompletableFuture<ItemOutcome> r : running) {
      assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo(ItemOutcome.HANDED_BACK);
    }
    DrainReport report = drainer.report();
    assertThat(report.handedBack()).isEqualTo(2);
    assertThat(report.unstartedReturnedAt()).isEqualTo(noticeAt);
    List<Lease> back = queue.lease(10, Duration.ZERO, LEASE_TIME);
    assertThat(back)
        .extracting(l -> l.item().itemId(), l -> l.item().attempts())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("a", new Attempts(0, 1)),
            org.assertj.core.groups.Tuple.tuple("b", new Attempts(2, 1)));
    assertThat(events(ItemCheckpointed.class)).isEmpty();
    assertThat(events(ItemFailed.class)).isEmpty();

    // the queued chunks were dropped: only the chunk already in the model runs, then a
    // continuation of 20 records takes 5 batches of 4
    model.permits.release(100);
    queue.complete(back.get(1)); // out of the way
    assertThat(runNow(LeaseTesting.start(items, back.get(0), clock)))
        .isEqualTo(ItemOutcome.COMPLETED);
    assertThat(model.batches.get()).isEqualTo(1 + 5);
    threads.shutdown();
  }

  @Test
  void aCheckpointKeepsTheReadAheadChunkTheModelIsAlreadyRunning() throws Exception {
    Batchers twoThreads =
        new Batchers(
            new ModelRegistry().register("fake", () -> model), 2, 4, Duration.ofMillis(1), null);
    try {
      ItemProcessor p = processor(queue, twoThreads);
      queue.send(List.of(item("big", 7, 0, 3)));
      ActiveItem big = leaseAll(1).get(0);
      model.permits.release(2);
      CompletableFuture<ItemOutcome> running = CompletableFuture.supplyAsync(() -> run(p, big));
      // two chunks written; the third (awaited) and the fourth (read ahead) are both in the model
      await(() -> big.progress(clock).total() == 8 && model.entered.get() == 4);
      clock.advance(Duration.ofSeconds(100)); // too slow to finish: checkpoint
      Drainer drainer = drainer();

      drainer.onNotice(spotNotice("aws-spot:11"));
      await(() -> big.decision() == DrainDecision.CHECKPOINT);
      model.permits.release(100);

      assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(ItemOutcome.CHECKPOINTED);
      assertThat(drainer.awaitDrained(Duration.ofSeconds(10))).isTrue();
      ItemCheckpointed cp = events(ItemCheckpointed.class).get(0);
      assertThat(cp.part().records()).isEqualTo(16); // no embedding thrown away
      assertThat(model.batches.get()).isEqualTo(4);
      assertThat(ids(cp.part().path())).hasSize(16).startsWith("r00").endsWith("r15");
      assertThat(cp.remaining().end()).isEqualTo(big.lease().item().range().end());
    } finally {
      model.permits.release(1000);
      twoThreads.close(Duration.ofSeconds(1));
    }
  }

  @Test
  void anItemHandedBackAndGivenBackAgainByTheLeaseCallInFlightCountsOnce() throws Exception {
    DelegatingWorkQueue work = new DelegatingWorkQueue(queue);
    CountDownLatch handedBack = new CountDownLatch(1);
    work.afterRequeue = handedBack::countDown;
    queue.send(List.of(item("a", 0, 0, 3)));
    leaseAll(1); // leased, its work not started
    Instant noticeAt = clock.instant();
    work.beforeLease = // the lease call in flight returns only after the drain handed "a" back
        () -> {
          try {
            handedBack.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          clock.advance(Duration.ofMillis(300));
        };
    LeaseLoop inFlight = loop(work);
    inFlight.start();
    await(() -> work.maxLeaseRequest.get() > 0);
    Drainer drainer = drainer(inFlight, work);

    drainer.onNotice(spotNotice("aws-spot:12"));

    assertThat(drainer.awaitDrained(Duration.ofSeconds(10))).isTrue();
    assertThat(inFlight.givenBack()).extracting(LeaseLoop.GivenBack::itemId).containsExactly("a");
    DrainReport report = drainer.report();
    assertThat(report.handedBack()).isEqualTo(1);
    // every unstarted lease was back only once the lease loop gave "a" back the second time
    assertThat(report.unstartedReturnedAt()).isAfter(noticeAt);
    assertThat(report.unstartedReturnedAt()).isEqualTo(inFlight.givenBack().get(0).at());
    assertThat(queue.lease(10, Duration.ZERO, LEASE_TIME))
        .singleElement()
        .satisfies(l -> assertThat(l.item().attempts()).isEqualTo(new Attempts(0, 2)));
  }

  @Test
  void unstartedLeasesAreHandedBackInParallelBeforeTheDrainingEventIsPublished() throws Exception {
    DelegatingWorkQueue work = new DelegatingWorkQueue(queue);
    CountDownLatch bothInFlight = new CountDownLatch(3);
    AtomicInteger overlapped = new AtomicInteger();
    AtomicInteger eventsBefore = new AtomicInteger(-1);
    work.afterRequeue =
        () -> {
          eventsBefore.compareAndSet(-1, events.receive(100, Duration.ZERO).size());
          bothInFlight.countDown();
          try {
            if (bothInFlight.await(5, TimeUnit.SECONDS)) {
              overlapped.incrementAndGet();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    queue.send(List.of(item("a", 0, 0, 3), item("b", 1, 0, 3), item("c", 2, 0, 3)));
    leaseAll(3);
    Drainer drainer = drainer(loop, work);

    drainer.onNotice(spotNotice("aws-spot:13"));

    assertThat(drainer.awaitDrained(Duration.ofSeconds(20))).isTrue();
    assertThat(overlapped.get()).isEqualTo(3); // each waited for the other two
    assertThat(eventsBefore.get()).isZero(); // WorkerDraining comes after the hand-backs
    assertThat(drainer.report().handedBack()).isEqualTo(3);
    assertThat(events(WorkerDraining.class)).hasSize(1);
  }

  @Test
  void anItemThatFitsFinishes() throws Exception {
    queue.send(List.of(item("quick", 2, 0, 3)));
    ActiveItem quick = leaseAll(1).get(0);
    model.permits.release(2);
    CompletableFuture<ItemOutcome> running = runAsync(quick);
    await(() -> quick.progress(clock).total() == 8);
    clock.advance(Duration.ofSeconds(1)); // 8 records/s: 12 left take 1.5 s
    Drainer drainer = drainer();

    drainer.onNotice(spotNotice("aws-spot:3"));
    await(() -> quick.decision() == DrainDecision.FINISH);
    model.permits.release(100);

    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(ItemOutcome.COMPLETED);
    assertThat(drainer.awaitDrained(Duration.ofSeconds(10))).isTrue();
    assertThat(drainer.report().finished()).isEqualTo(1);
    assertThat(events(ItemCompleted.class).get(0).part().records()).isEqualTo(RECORDS);
  }

  @Test
  void aFinishingItemIsCheckpointedOnceTheCutoffComes() throws Exception {
    queue.send(List.of(item("slowing", 2, 0, 3)));
    ActiveItem slowing = leaseAll(1).get(0);
    model.permits.release(2);
    CompletableFuture<ItemOutcome> running = runAsync(slowing);
    await(() -> slowing.progress(clock).total() == 8);
    clock.advance(Duration.ofSeconds(1));
    Drainer drainer = drainer();
    drainer.onNotice(spotNotice("aws-spot:4"));
    await(() -> slowing.decision() == DrainDecision.FINISH);

    clock.advance(Duration.ofSeconds(116)); // past deadline - margin, the item stalled meanwhile
    await(() -> slowing.decision() == DrainDecision.CHECKPOINT);
    model.permits.release(100);

    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(ItemOutcome.CHECKPOINTED);
    assertThat(drainer.awaitDrained(Duration.ofSeconds(10))).isTrue();
    assertThat(drainer.report().checkpointed()).isEqualTo(1);
  }

  @Test
  void duplicateNoticesAreIgnoredAndTheDrainIsReported() throws Exception {
    queue.send(List.of(item("a", 0, 0, 3)));
    leaseAll(1);
    Drainer drainer = drainer();
    Notice first = spotNotice("aws-spot:5");

    drainer.onNotice(first);
    drainer.onNotice(first);
    drainer.onNotice(
        new Notice(
            "azure:1",
            NoticeKind.AZURE_PREEMPT,
            null,
            clock.instant().plusSeconds(30),
            clock.instant(),
            "later"));
    assertThat(drainer.awaitDrained(Duration.ofSeconds(10))).isTrue();

    List<WorkerDraining> draining = events(WorkerDraining.class);
    assertThat(draining).hasSize(1);
    assertThat(draining.get(0).noticeId()).isEqualTo("aws-spot:5");
    assertThat(draining.get(0).deadline()).isEqualTo(first.deadline());
    List<WorkerStopped> stopped = events(WorkerStopped.class);
    assertThat(stopped).hasSize(1);
    DrainReport report = stopped.get(0).report();
    assertThat(report.noticeId()).isEqualTo("aws-spot:5");
    assertThat(report.kind()).isEqualTo(NoticeKind.AWS_SPOT_INTERRUPTION);
    assertThat(report.detectedAt()).isEqualTo(first.detectedAt());
    assertThat(report.deadline()).isEqualTo(first.deadline());
    assertThat(report.handedBack()).isEqualTo(1);
    assertThat(report.stoppedAt()).isNotNull();
    assertThat(events().indexOf(draining.get(0))).isLessThan(events().indexOf(stopped.get(0)));
    assertThat(drainer.isDraining()).isTrue();
  }

  @Test
  void aRebalanceRecommendationStopsLeasingWithoutDraining() {
    Drainer drainer = drainer();
    drainer.onNotice(
        new Notice(
            "rebalance:1",
            NoticeKind.AWS_REBALANCE_RECOMMENDATION,
            clock.instant(),
            null,
            clock.instant(),
            "rebalance"));

    assertThat(drainer.isLeasingStopped()).isTrue();
    assertThat(drainer.isDraining()).isFalse();
    assertThat(events(WorkerDraining.class)).isEmpty();
  }

  @Test
  void aRebalanceRecommendationWithExitLetsTheRunningItemFinishThenDrainsAndExits()
      throws Exception {
    queue.send(List.of(item("running", 0, 0, 3), item("queued", 1, 0, 3)));
    ActiveItem running = leaseAll(1).get(0);
    CompletableFuture<ItemOutcome> outcome = runAsync(running);
    await(() -> model.entered.get() == 1);
    Drainer drainer = drainer(loop, queue, RebalancePolicy.STOP_LEASING_THEN_EXIT);
    AtomicReference<DrainReport> exited = new AtomicReference<>();
    drainer.onDrained(exited::set);

    drainer.onNotice(
        new Notice(
            "aws-rebalance:1",
            NoticeKind.AWS_REBALANCE_RECOMMENDATION,
            clock.instant(),
            null,
            clock.instant(),
            "rebalance"));

    assertThat(drainer.isLeasingStopped()).isTrue();
    Thread.sleep(100);
    assertThat(drainer.isDraining()).as("its item still runs: no drain yet").isFalse();
    assertThat(running.decision()).isNotEqualTo(DrainDecision.CHECKPOINT);
    model.permits.release(100);

    assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(ItemOutcome.COMPLETED);
    assertThat(drainer.awaitDrained(Duration.ofSeconds(10))).isTrue();
    await(() -> exited.get() != null);
    assertThat(exited.get().kind()).isEqualTo(NoticeKind.AWS_REBALANCE_RECOMMENDATION);
    assertThat(exited.get().noticeId()).isEqualTo("aws-rebalance:1");
    assertThat(exited.get().handedBack()).isZero();
    assertThat(exited.get().abandoned()).isZero();
    assertThat(events(ItemCompleted.class)).singleElement();
    assertThat(events(WorkerStopped.class)).singleElement();
    assertThat(queue.stats().visible())
        .as("the unleased item waits for another worker")
        .hasValue(1);
  }

  @Test
  void aPlainStopDrainsWithTheGraceAsDeadlineAndStopsTheRuntime() throws Exception {
    queue.send(List.of(item("a", 0, 0, 3)));
    leaseAll(1);
    Drainer drainer = drainer();
    AtomicInteger stops = new AtomicInteger();
    drainer.stopRuntimeWith(stops::incrementAndGet);

    drainer.drainForStop(Duration.ofSeconds(30));

    assertThat(drainer.report()).isNotNull();
    assertThat(drainer.report().kind()).isEqualTo(NoticeKind.SIGTERM);
    assertThat(drainer.report().deadline()).isEqualTo(clock.instant().plusSeconds(30));
    assertThat(drainer.report().handedBack()).isEqualTo(1);
    assertThat(stops).hasValue(1);
    assertThat(queue.stats().visible()).hasValue(1);
  }

  @Test
  void aRuntimeStopThatHangsDoesNotKeepTheProcessPastItsDeadline() throws Exception {
    // ChaosIT: a 5 s spot notice reached a worker whose items were inside the first model load;
    // they were abandoned, but closing the runtime waited for their threads and the worker was
    // killed at its deadline
    Drainer drainer = drainer();
    CountDownLatch never = new CountDownLatch(1);
    drainer.stopRuntimeWith(
        () -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    AtomicReference<DrainReport> called = new AtomicReference<>();
    drainer.onDrained(called::set);
    Instant now = clock.instant();
    long started = System.nanoTime();

    drainer.onNotice(
        new Notice(
            "aws-spot:hang",
            NoticeKind.AWS_SPOT_INTERRUPTION,
            now,
            now.plusSeconds(1),
            now,
            "test"));

    assertThat(drainer.awaitDrained(Duration.ofSeconds(5))).isTrue();
    await(() -> called.get() != null);
    // the clock stands still and the bound (1 s - the 1.25 s exit margin) has passed: the stop is
    // not waited for
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    assertThat(called.get().deadline()).isEqualTo(now.plusSeconds(1));
    never.countDown();
  }

  @Test
  void interruptionsNeverUseUpTheFailureBudget() throws Exception {
    queue.send(List.of(item("tough", 0, 0, 2)));
    for (int i = 0; i < 4; i++) { // maxAttempts + 2 interruptions
      leaseAll(1);
      Drainer drainer = drainer();
      drainer.onNotice(spotNotice("aws-spot:round-" + i));
      assertThat(drainer.awaitDrained(Duration.ofSeconds(10))).isTrue();
    }
    ActiveItem last = leaseAll(1).get(0);
    assertThat(last.lease().item().attempts()).isEqualTo(new Attempts(0, 4));
    model.permits.release(100);

    assertThat(runNow(last)).isEqualTo(ItemOutcome.COMPLETED);
    assertThat(events(ItemCompleted.class).get(0).part().records()).isEqualTo(RECORDS);
  }

  @Test
  void aFailingItemStillFailsAfterMaxAttemptsDespiteInterruptions() throws Exception {
    queue.send(List.of(item("broken", 0, 0, 2)));
    model.fail = true;
    model.permits.release(100);
    leaseAll(1);
    Drainer drainer = drainer();
    drainer.onNotice(spotNotice("aws-spot:6"));
    assertThat(drainer.awaitDrained(Duration.ofSeconds(10))).isTrue();

    assertThat(runNow(leaseAll(1).get(0))).isEqualTo(ItemOutcome.RETRYING);
    clock.advance(Duration.ofSeconds(6)); // past the backoff
    ActiveItem second = leaseAll(1).get(0);
    assertThat(second.lease().item().attempts()).isEqualTo(new Attempts(1, 1));
    assertThat(runNow(second)).isEqualTo(ItemOutcome.FAILED);
    List<ItemFailed> failures = events(ItemFailed.class);
    assertThat(failures.get(failures.size() - 1).terminal()).isTrue();
    assertThat(failures.get(failures.size() - 1).attempts()).isEqualTo(new Attempts(2, 1));
  }
}
