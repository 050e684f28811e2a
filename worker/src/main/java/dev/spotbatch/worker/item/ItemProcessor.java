package dev.spotbatch.worker.lease;

import dev.spotbatch.event.ItemCheckpointed;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.jsonl.Line;
import dev.spotbatch.jsonl.LineRangeReader;
import dev.spotbatch.jsonl.ParsedRecord;
import dev.spotbatch.jsonl.RecordParser;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.LeaseLostException;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.resilience.Backoff;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.worker.WorkerMetrics;
import dev.spotbatch.worker.inference.Batcher;
import dev.spotbatch.worker.inference.Batchers;
import dev.spotbatch.worker.inference.UnknownModelException;
import dev.spotbatch.worker.output.PartWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works one lease: reads the item's byte range, parses records, sends good ones through the model
 * in chunks and records bad ones as record errors, writes the part (and error part), publishes
 * {@code ItemCompleted}, and only then completes the lease. On failure publishes {@code ItemFailed}
 * and re-queues the item with a backoff, or completes it once its failures are used up. Checks the
 * item's abandoned flag (and lease deadline) between chunks and before committing.
 *
 * <p>Drain: a stop decision raises the item's {@link dev.spotbatch.worker.inference.Cancellation}:
 * the batcher drops the item's queued records and fails their chunks, which wakes this thread at
 * once (also out of a submit blocked on a full queue). It then writes every chunk the model had
 * already run (or is running), commits the records written as a checkpoint part ({@code
 * item.partPath(offset)}, offset = the record boundary after the last written chunk), publishes
 * {@code ItemCheckpointed} and re-queues {@code item.continueFrom(offset)}; with nothing written it
 * hands the lease back ({@code item.continueFrom(range.start)}). A lease the drain took back
 * (before its first record was written, see {@link ActiveItem#takeBack}) is not touched: the drain
 * ends it. Thread-safe: one call per lease.
 */
public final class ItemProcessor {
  private static final Logger log = LoggerFactory.getLogger(ItemProcessor.class);
  private static final long RESULT_POLL_MS = 500;

  private final WorkSource queue;
  private final EventQueue events;
  private final ObjectStore store;
  private final Batchers batchers;
  private final StorageRoots allowedRoots;
  private final Backoff backoff;
  private final Clock clock;
  private final String workerId;
  private final InstanceFacts instance;
  private final Path tempDir;
  private final WorkerMetrics metrics;

  /**
   * A failure that retrying cannot fix (a location outside the allowed roots, an unknown model).
   */
  static final class TerminalItemException extends RuntimeException {
    TerminalItemException(String message) {
      super(message);
    }
  }

  /** The item stopped locally (abandoned, or its lease ran out). */
  private static final class Abandoned extends RuntimeException {
    Abandoned() {
      super(null, null, false, false);
    }
  }

  /** The drain took the lease back: stop without touching it. */
  private static final class TakenBack extends RuntimeException {
    TakenBack() {
      super(null, null, false, false);
    }
  }

  /** Records read since the last chunk, with the reader position after the last of them. */
  private record Chunk(
      List<ParsedRecord.Good> good,
      List<ParsedRecord.Bad> bad,
      long endPosition,
      CompletableFuture<float[][]> results) {}

  public ItemProcessor(
      WorkSource queue,
      EventQueue events,
      ObjectStore store,
      Batchers batchers,
      StorageRoots allowedRoots,
      Backoff backoff,
      Clock clock,
      String workerId,
      InstanceFacts instance,
      Path tempDir,
      WorkerMetrics metrics) {
    this.queue = queue;
    this.events = events;
    this.store = store;
    this.batchers = batchers;
    this.allowedRoots = allowedRoots;
    this.backoff = backoff;
    this.clock = clock;
    this.workerId = workerId;
    this.instance = instance;
    this.tempDir = tempDir;
    this.metrics = metrics;
  }

  /** Works the lease to one of the outcomes; never throws. */
  public ItemOutcome process(ActiveItem active) {
    WorkItem item = active.lease().item();
    if (!active.begin()) {
      return ItemOutcome.HANDED_BACK; // the drain took it back before it started
    }
    try {
      ItemOutcome outcome = run(active, item);
      if (outcome == ItemOutcome.COMPLETED) {
        metrics.itemCompleted();
      }
      return outcome;
    } catch (TakenBack e) {
      log.debug("item {} taken back by the drain; its thread stops", item.itemId());
      return ItemOutcome.HANDED_BACK;
    } catch (Abandoned e) {
      return abandoned(active, item);
    } catch (TerminalItemException e) {
      if (!active.own()) {
        return ItemOutcome.HANDED_BACK;
      }
      return fail(active, item, e.getMessage(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      active.abandon(AbandonReason.SHUTDOWN);
      return abandoned(active, item);
    } catch (Exception e) {
      if (!active.holds(clock)) {
        return abandoned(active, item);
      }
      if (!active.own()) {
        return ItemOutcome.HANDED_BACK; // taken back by the drain, which ends the lease
      }
      return fail(active, item, describe(e), false);
    }
  }

  private ItemOutcome run(ActiveItem active, WorkItem item) throws Exception {
    try {
      allowedRoots.check(item.inputUri());
      allowedRoots.check(item.outputUri());
    } catch (IllegalArgumentException e) {
      throw new TerminalItemException(e.getMessage());
    }
    Batcher batcher;
    try {
      batcher = batchers.forModel(item.model());
    } catch (UnknownModelException e) {
      throw new TerminalItemException(e.getMessage());
    }
    batcher.cancelOn(active.cancellation());
    StoreUri input = StoreUri.parse(item.inputUri());
    StoreUri output = StoreUri.parse(item.outputUri());
    RecordParser parser = new RecordParser(item.inputName(), item.textField(), item.idField());
    int chunkSize = batchers.batchSize();
    PartWriter.Committed committed;
    try (LineRangeReader reader = new LineRangeReader(store, input, item.range());
        PartWriter writer = new PartWriter(tempDir)) {
      Chunk pending = null; // submitted, not written yet
      while (true) {
        checkHeld(active);
        checkNotTakenBack(active);
        if (active.stopRequested()) {
          return stop(active, item, writer, output, pending, null);
        }
        Chunk next = read(reader, parser, chunkSize, batcher, active);
        if (pending != null) {
          if (!await(pending, active, true)) { // the item was told to stop while it waited
            return stop(active, item, writer, output, pending, next);
          }
          write(pending, writer, active);
        }
        if (next.good().isEmpty() && next.bad().isEmpty()) {
          break;
        }
        if (active.stopRequested()) {
          return stop(active, item, writer, output, next, null);
        }
        pending = next;
      }
      checkHeld(active);
      own(active);
      committed = writer.commit(store, output, item.partPath(), item.errorPartPath());
    }
    checkHeld(active);
    Instant at = clock.instant();
    PartRef part = new PartRef(committed.partPath(), committed.records(), item.range());
    PartRef errorPart =
        committed.errorPath() == null
            ? null
            : new PartRef(committed.errorPath(), committed.errors(), item.range());
    events.publish(
        List.of(
            new ItemCompleted(
                UUID.randomUUID().toString(),
                item.jobId(),
                item.itemId(),
                item.range(),
                part,
                errorPart,
                item.attempts(),
                workerId,
                instance,
                active.startedAt(),
                at)));
    try {
      queue.complete(active.lease());
    } catch (LeaseLostException e) {
      // the parts and the event are in; a redelivery rewrites the same parts and the dispatcher
      // applies the duplicate event idempotently
      log.warn(
          "item {} committed but its lease was lost before completion: {}",
          item.itemId(),
          e.getMessage());
    }
    log.info(
        "item {} of job {} done: {} records, {} record errors, range {}",
        item.itemId(),
        item.jobId(),
        committed.records(),
        committed.errors(),
        item.range());
    return ItemOutcome.COMPLETED;
  }

  /**
   * The item was told to stop: writes the given chunks, in order, as long as the model ran them (a
   * chunk whose records were dropped ends the run), then checkpoints what is written, or hands the
   * lease back if nothing is. An item told to hand back with nothing written does not wait for a
   * chunk the model is running.
   */
  private ItemOutcome stop(
      ActiveItem active,
      WorkItem item,
      PartWriter writer,
      StoreUri output,
      Chunk first,
      Chunk second)
      throws InterruptedException, ExecutionException {
    // told to hand back with nothing written: go at once, without waiting for the model
    boolean waitForModel =
        active.decision() != DrainDecision.HAND_BACK || writer.records() + writer.errors() > 0;
    for (Chunk c : new Chunk[] {first, second}) {
      if (!waitForModel || c == null || !kept(c, active)) {
        break;
      }
      write(c, writer, active);
    }
    if (writer.records() + writer.errors() == 0) {
      own(active);
      return handBack(active, item);
    }
    return checkpoint(active, item, writer, output, active.progress(clock).position());
  }

  /** Commits the records written so far as a checkpoint part and re-queues the rest. */
  private ItemOutcome checkpoint(
      ActiveItem active, WorkItem item, PartWriter writer, StoreUri output, long offset) {
    checkHeld(active);
    PartWriter.Committed committed =
        writer.commit(store, output, item.partPath(offset), item.errorPartPath(offset));
    checkHeld(active);
    ByteRange done = new ByteRange(item.range().start(), offset);
    PartRef part = new PartRef(committed.partPath(), committed.records(), done);
    PartRef errorPart =
        committed.errorPath() == null
            ? null
            : new PartRef(committed.errorPath(), committed.errors(), done);
    WorkItem rest = item.continueFrom(offset);
    try {
      events.publish(
          List.of(
              new ItemCheckpointed(
                  UUID.randomUUID().toString(),
                  item.jobId(),
                  item.itemId(),
                  part,
                  errorPart,
                  rest.range(),
                  item.attempts(),
                  workerId,
                  instance,
                  active.startedAt(),
                  clock.instant())));
      queue.requeue(active.lease(), rest, Duration.ZERO);
    } catch (LeaseLostException e) {
      // the checkpoint part and its event are in; whoever holds the item now redoes some records
      // and the manifest picks parts that tile the range once
      log.warn(
          "item {} checkpointed but its lease was lost before re-queueing: {}",
          item.itemId(),
          e.getMessage());
    } catch (RuntimeException e) {
      // an interruption is never a failure: leave the lease to expire, the item comes back whole
      log.warn(
          "item {} checkpoint could not be reported or re-queued ({}); left to its lease",
          item.itemId(),
          e.toString());
      active.abandon(AbandonReason.SHUTDOWN);
      return ItemOutcome.ABANDONED;
    }
    log.info(
        "item {} of job {} checkpointed at {}: {} records, {} record errors; remainder {} re-queued",
        item.itemId(),
        item.jobId(),
        offset,
        committed.records(),
        committed.errors(),
        rest.range());
    return ItemOutcome.CHECKPOINTED;
  }

  /** Puts the same range back as a continuation (an interruption, not a failure). */
  private ItemOutcome handBack(ActiveItem active, WorkItem item) {
    try {
      queue.handBack(active.lease());
      log.info("item {} of job {} handed back unstarted", item.itemId(), item.jobId());
      return ItemOutcome.HANDED_BACK;
    } catch (RuntimeException e) {
      log.warn(
          "item {} could not be handed back; it returns when its lease expires: {}",
          item.itemId(),
          e.toString());
      return ItemOutcome.ABANDONED;
    }
  }

  private Chunk read(
      LineRangeReader reader,
      RecordParser parser,
      int chunkSize,
      Batcher batcher,
      ActiveItem active)
      throws InterruptedException {
    List<ParsedRecord.Good> good = new ArrayList<>(chunkSize);
    List<ParsedRecord.Bad> bad = new ArrayList<>();
    while (good.size() < chunkSize) {
      Line line = reader.next();
      if (line == null) {
        break;
      }
      ParsedRecord record = parser.parse(line);
      if (record instanceof ParsedRecord.Good g) {
        good.add(g);
      } else {
        bad.add((ParsedRecord.Bad) record);
      }
    }
    List<String> texts = new ArrayList<>(good.size());
    for (ParsedRecord.Good g : good) {
      texts.add(g.text());
    }
    return new Chunk(good, bad, reader.position(), batcher.submit(texts, active.cancellation()));
  }

  /**
   * Waits for a chunk's results; false if the item was told to stop meanwhile (or its records were
   * dropped for that reason). A stop wakes this at once (the item's cancellation signal); the timed
   * wait only rechecks the lease deadline. With {@code untilStop} false (the item is stopping
   * already) it waits for a chunk the model runs, and is false only if the chunk was dropped.
   */
  private boolean await(Chunk chunk, ActiveItem active, boolean untilStop)
      throws InterruptedException, ExecutionException {
    CompletableFuture<?> wake =
        untilStop
            ? CompletableFuture.anyOf(chunk.results(), active.cancellation().signal())
            : chunk.results();
    while (true) {
      try {
        wake.get(RESULT_POLL_MS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        checkHeld(active);
        checkNotTakenBack(active);
        continue;
      } catch (CancellationException | ExecutionException e) {
        // inspected below
      }
      if (!chunk.results().isDone()) { // woken by a stop, an abandon or a take-back
        checkHeld(active);
        checkNotTakenBack(active);
        if (active.stopRequested()) {
          return false;
        }
        wake = chunk.results(); // not a stop: wait for the results alone
        continue;
      }
      try {
        chunk.results().get();
        return true;
      } catch (CancellationException e) {
        checkHeld(active);
        checkNotTakenBack(active);
        if (!active.stopRequested()) {
          throw new IllegalStateException("records dropped but the item was not told to stop", e);
        }
        return false;
      }
    }
  }

  /**
   * While stopping: waits for a chunk the model runs or ran; false if its records were dropped or
   * the model failed on them (the continuation does them).
   */
  private boolean kept(Chunk chunk, ActiveItem active) throws InterruptedException {
    try {
      return await(chunk, active, false);
    } catch (ExecutionException e) {
      log.info(
          "item {}: the model failed on a chunk while stopping; it goes to the continuation: {}",
          active.lease().item().itemId(),
          describe(e));
      return false;
    }
  }

  /** Writes a chunk whose results are in; claims the lease first (the drain can no longer). */
  private void write(Chunk chunk, PartWriter writer, ActiveItem active)
      throws InterruptedException, ExecutionException {
    float[][] vectors = chunk.results().get();
    own(active);
    for (int i = 0; i < vectors.length; i++) {
      writer.write(chunk.good().get(i).id(), vectors[i]);
    }
    for (ParsedRecord.Bad b : chunk.bad()) {
      writer.error(b.id(), b.offset(), b.reason());
    }
    metrics.recordsProcessed(vectors.length);
    metrics.recordErrors(chunk.bad().size());
    active.progressed(writer.records(), writer.errors(), chunk.endPosition());
  }

  private static void own(ActiveItem active) {
    if (!active.own()) {
      throw new TakenBack();
    }
  }

  private static void checkNotTakenBack(ActiveItem active) {
    if (active.state() == ActiveItem.State.TAKEN_BACK) {
      throw new TakenBack();
    }
  }

  private void checkHeld(ActiveItem active) {
    if (!active.holds(clock)) {
      throw new Abandoned();
    }
  }

  private ItemOutcome abandoned(ActiveItem active, WorkItem item) {
    metrics.itemAbandoned();
    log.warn(
        "item {} of job {} abandoned ({}); not committed, the queue will deliver it again",
        item.itemId(),
        item.jobId(),
        active.abandonReason() == null ? "lease deadline passed" : active.abandonReason());
    return ItemOutcome.ABANDONED;
  }

  private ItemOutcome fail(ActiveItem active, WorkItem item, String reason, boolean forceTerminal) {
    Lease lease = active.lease();
    WorkItem next = item.afterFailure();
    boolean terminal = forceTerminal || next.failuresExhausted();
    ByteRange range = item.range();
    try {
      events.publish(
          List.of(
              new ItemFailed(
                  UUID.randomUUID().toString(),
                  item.jobId(),
                  item.itemId(),
                  range,
                  reason,
                  next.attempts(),
                  terminal,
                  workerId,
                  instance,
                  active.startedAt(),
                  clock.instant())));
      if (terminal) {
        queue.reject(lease);
        metrics.itemFailed();
        log.warn(
            "item {} of job {} failed for good after {} failure(s): {}",
            item.itemId(),
            item.jobId(),
            next.attempts().failures(),
            reason);
        return ItemOutcome.FAILED;
      }
      Duration delay = backoff.delay(next.attempts().failures());
      queue.requeue(lease, next, delay);
      metrics.itemRetried();
      log.warn(
          "item {} of job {} failed (failure {} of {}), retry in {}: {}",
          item.itemId(),
          item.jobId(),
          next.attempts().failures(),
          item.maxAttempts(),
          delay,
          reason);
      return ItemOutcome.RETRYING;
    } catch (RuntimeException e) {
      log.error(
          "item {} of job {} failed ({}) and the failure could not be reported ({}); the lease"
              + " is left to expire",
          item.itemId(),
          item.jobId(),
          reason,
          e.toString());
      return ItemOutcome.LEFT_TO_EXPIRE;
    }
  }

  private static String describe(Throwable e) {
    Throwable t = e;
    if (t instanceof ExecutionException && t.getCause() != null) {
      t = t.getCause();
    }
    String msg = t.getMessage();
    return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
  }
}
