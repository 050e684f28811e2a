package dev.spotbatch.worker.item;

import dev.spotbatch.drain.DrainDecision;
import dev.spotbatch.jsonl.LineRangeReader;
import dev.spotbatch.jsonl.ParsedRecord;
import dev.spotbatch.jsonl.RecordParser;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.worker.WorkerMetrics;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.output.ResultPart;
import dev.spotbatch.worker.task.ContentClaims;
import dev.spotbatch.worker.task.StoreContentClaims;
import dev.spotbatch.worker.task.TaskPlan;
import dev.spotbatch.worker.task.Unit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one lease's byte range through the model: reads records in chunks of the batch size, submits
 * each chunk to the batcher as soon as it is read (so the next chunk is read while the model runs
 * the last), awaits its embeddings and writes them, with the chunk's record errors, to the item's
 * {@link ResultPart}. Between chunks and while it waits it checks that the lease is still held and
 * not taken back, and whether the drain told the item to stop. It writes no part to the store and
 * never touches the lease: the {@link ItemCommitter} does, according to the {@link Ending}.
 *
 * <p>A stop raises the item's {@link dev.spotbatch.worker.inference.Cancellation}: the batcher
 * drops the item's queued records and fails their chunks, which wakes the wait at once (also out of
 * a submit blocked on a full queue). The pipeline then writes every chunk the model had already run
 * (or is running), in order, and ends {@link Ending#STOPPED}. An item told to hand back with
 * nothing written does not wait for a chunk the model is running. Errors of the store, the input or
 * the model are thrown, but for a record the model fails on alone: {@link RecordIsolation} finds it
 * and it is written as a record error. Thread-safe: one run per lease.
 */
public final class ChunkPipeline {
  private static final Logger log = LoggerFactory.getLogger(ChunkPipeline.class);

  /** How often a wait for the model rechecks the lease deadline; a stop wakes it at once. */
  private static final long RESULT_POLL_MS = 500;

  /** How a run ended. */
  enum Ending {
    /** Every record of the range is written: the item can be completed. */
    READ_ALL,
    /** The drain told the item to stop; every chunk the model ran is written. */
    STOPPED,
    /** The lease is no longer held (abandoned, or its deadline passed): commit nothing. */
    LEASE_GONE,
    /** The drain took the lease back before a record was written: leave the lease alone. */
    TAKEN_BACK,
    /** The item's job was cancelled: write nothing more, acknowledge the lease. */
    CANCELLED
  }

  private final ObjectStore store;
  private final Clock clock;
  private final WorkerMetrics metrics;
  private final CancelledJobs cancelledJobs;

  public ChunkPipeline(ObjectStore store, Clock clock, WorkerMetrics metrics) {
    this(store, clock, metrics, CancelledJobs.NONE);
  }

  /**
   * @param cancelledJobs looked at before each chunk and while waiting for the model
   */
  public ChunkPipeline(
      ObjectStore store, Clock clock, WorkerMetrics metrics, CancelledJobs cancelledJobs) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.cancelledJobs = Objects.requireNonNull(cancelledJobs, "cancelledJobs");
  }

  /**
   * True if the item's job is cancelled; then the item is told so ({@link ActiveItem#cancelJob}):
   * its queued records are dropped and every wait of its thread ends.
   */
  boolean jobCancelled(ActiveItem active) {
    if (active.isJobCancelled()) {
      return true;
    }
    if (cancelledJobs.isCancelled(active.lease().item())) {
      active.cancelJob();
      return true;
    }
    return false;
  }

  /** Where the item's {@code clean} task claims texts: the job's output store, across the job. */
  ContentClaims contentClaims(WorkItem item) {
    return new StoreContentClaims(store, StoreUri.parse(item.outputUri()), item.inputUri());
  }

  /**
   * Reads, runs through the task chain and writes the lease's records into {@code writer} until the
   * run ends.
   */
  Ending run(ActiveItem active, TaskPlan plan, int chunkSize, ResultPart writer)
      throws InterruptedException, ExecutionException {
    WorkItem item = active.lease().item();
    RecordParser parser = new RecordParser(item.inputName(), item.textField(), item.idField());
    StoreUri input = StoreUri.parse(item.inputUri());
    try (LineRangeReader reader = new LineRangeReader(store, input, item.range())) {
      Chunk pending = null; // submitted, not written yet
      while (true) {
        jobCancelled(active); // at each chunk boundary
        Ending lost = lost(active);
        if (lost != null) {
          return lost;
        }
        if (active.stopRequested()) {
          return stop(active, writer, pending, null, plan);
        }
        Chunk next = Chunk.read(reader, parser, chunkSize, plan, active.cancellation());
        if (pending != null) {
          Ending waited = await(pending, active, true);
          if (waited == Ending.STOPPED) { // told to stop while it waited
            return stop(active, writer, pending, next, plan);
          }
          if (waited != null) {
            return waited;
          }
          if (!write(pending, writer, active, plan)) {
            return Ending.TAKEN_BACK;
          }
        }
        if (next.isEmpty()) {
          return Ending.READ_ALL;
        }
        if (active.stopRequested()) {
          return stop(active, writer, next, null, plan);
        }
        pending = next;
      }
    }
  }

  /**
   * The item was told to stop: writes the given chunks, in order, as long as the model ran them (a
   * chunk whose records were dropped, or on which the model failed, ends the writing: the
   * continuation does its records).
   */
  private Ending stop(
      ActiveItem active, ResultPart writer, Chunk first, Chunk second, TaskPlan plan)
      throws InterruptedException, ExecutionException {
    // told to hand back with nothing written: go at once, without waiting for the model
    boolean waitForModel =
        active.decision() != DrainDecision.HAND_BACK || writer.records() + writer.errors() > 0;
    if (!waitForModel) {
      return Ending.STOPPED;
    }
    for (Chunk c : new Chunk[] {first, second}) {
      if (c == null) {
        break;
      }
      Ending kept = kept(c, active);
      if (kept != null) {
        return kept;
      }
      if (!write(c, writer, active, plan)) {
        return Ending.TAKEN_BACK;
      }
    }
    return Ending.STOPPED;
  }

  /**
   * While stopping: waits for a chunk the model runs or ran. Null once its results are in; {@link
   * Ending#STOPPED} if its records were dropped or the model failed on them; else why the lease is
   * lost.
   */
  private Ending kept(Chunk chunk, ActiveItem active) throws InterruptedException {
    try {
      return await(chunk, active, false);
    } catch (ExecutionException e) {
      log.info(
          "item {}: the model failed on a chunk while stopping; it goes to the continuation: {}",
          active.lease().item().itemId(),
          ItemProcessor.describe(e));
      return Ending.STOPPED;
    }
  }

  /**
   * Waits for a chunk's results: null once they are in; {@link Ending#STOPPED} if the item was told
   * to stop meanwhile (or its records were dropped for that reason); {@link Ending#LEASE_GONE} or
   * {@link Ending#TAKEN_BACK} if it lost the lease. A stop wakes this at once (the item's
   * cancellation signal); the timed wait only rechecks the lease deadline. With {@code untilStop}
   * false (the item is stopping already) it waits for a chunk the model runs, and is {@code
   * STOPPED} only if the chunk was dropped. A model failure is thrown.
   */
  private Ending await(Chunk chunk, ActiveItem active, boolean untilStop)
      throws InterruptedException, ExecutionException {
    CompletableFuture<?> wake =
        untilStop
            ? CompletableFuture.anyOf(chunk.results(), active.cancellation().signal())
            : chunk.results();
    while (true) {
      try {
        wake.get(RESULT_POLL_MS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        jobCancelled(active);
        Ending lost = lost(active);
        if (lost != null) {
          return lost;
        }
        continue;
      } catch (CancellationException | ExecutionException e) {
        // inspected below
      }
      if (!chunk.results().isDone()) { // woken by a stop, an abandon or a take-back
        Ending lost = lost(active);
        if (lost != null) {
          return lost;
        }
        if (active.stopRequested()) {
          return Ending.STOPPED;
        }
        wake = chunk.results(); // not a stop: wait for the results alone
        continue;
      }
      try {
        chunk.results().get();
        return null;
      } catch (CancellationException e) {
        Ending lost = lost(active);
        if (lost != null) {
          return lost;
        }
        if (!active.stopRequested()) {
          throw new IllegalStateException("records dropped but the item was not told to stop", e);
        }
        return Ending.STOPPED;
      }
    }
  }

  /**
   * Writes a chunk whose results are in; claims the lease first (the drain can no longer take it
   * back). False if the drain took it back before.
   */
  private boolean write(Chunk chunk, ResultPart writer, ActiveItem active, TaskPlan plan)
      throws InterruptedException, ExecutionException {
    float[][] vectors = chunk.results().get();
    if (!active.own()) {
      return false;
    }
    if (chunk.rejected().isEmpty()) {
      plan.write(writer, chunk.units(), vectors);
      for (ParsedRecord.Bad b : chunk.bad()) {
        writer.error(b.id(), b.offset(), b.reason());
      }
      metrics.recordsProcessed(chunk.units().size());
      metrics.recordErrors(chunk.bad().size());
    } else {
      writeIsolated(chunk, vectors, writer, plan);
    }
    active.progressed(writer.records(), writer.errors(), chunk.endPosition());
    return true;
  }

  /**
   * Writes a chunk in which the model failed on some units alone ({@link RecordIsolation}): an
   * input record with such a unit is a record error as a whole (none of its units is written, so a
   * record is in the output entirely or not at all), the other units are written as usual.
   */
  private void writeIsolated(Chunk chunk, float[][] vectors, ResultPart writer, TaskPlan plan) {
    Map<ParsedRecord.Good, String> failed = new IdentityHashMap<>();
    for (Map.Entry<Integer, String> r : new TreeMap<>(chunk.rejected()).entrySet()) {
      failed.putIfAbsent(chunk.sources().get(r.getKey()), r.getValue());
    }
    List<Unit> units = new ArrayList<>(chunk.units().size());
    List<float[]> kept = new ArrayList<>(chunk.units().size());
    for (int i = 0; i < chunk.units().size(); i++) {
      if (!failed.containsKey(chunk.sources().get(i))) {
        units.add(chunk.units().get(i));
        kept.add(vectors[i]);
      }
    }
    plan.write(writer, units, kept.toArray(new float[0][]));
    List<ParsedRecord.Bad> errors = new ArrayList<>(chunk.bad());
    failed.forEach((g, reason) -> errors.add(new ParsedRecord.Bad(g.id(), g.offset(), reason)));
    errors.sort(Comparator.comparingLong(ParsedRecord.Bad::offset)); // in input order
    for (ParsedRecord.Bad b : errors) {
      writer.error(b.id(), b.offset(), b.reason());
    }
    metrics.recordsProcessed(units.size());
    metrics.recordErrors(errors.size());
  }

  /** Why the item may not go on with its lease (or its job), or null while it may. */
  private Ending lost(ActiveItem active) {
    if (active.isJobCancelled()) {
      return Ending.CANCELLED;
    }
    if (!active.holds(clock)) {
      return Ending.LEASE_GONE;
    }
    if (active.state() == ActiveItem.State.TAKEN_BACK) {
      return Ending.TAKEN_BACK;
    }
    return null;
  }
}
