package dev.spotbatch.dispatcher.job;

import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.WorkSubmitter;
import dev.spotbatch.store.ObjectInfo;
import dev.spotbatch.store.ObjectNotFoundException;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.task.TaskSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a job into work items without reading its data: lists the input objects (one object, an S3
 * prefix, a local file or a directory), cuts each into byte ranges of at most {@code itemBytes} (an
 * empty object gives none), and pipelines them: chunks of the plan are stored, each in its own
 * transaction, and sent to the work queue by {@link PlanSender} while the listing goes on, holding
 * neither the whole listing nor the whole plan in memory ({@link PlanOptions#maxItemsHeld()}). Runs
 * in the background; the job is PENDING until its whole plan is stored and on the queue, then
 * RUNNING. A plan cut short by a restart is resumed from what was stored ({@link PlanWriter}). A
 * job whose input cannot be planned ends FAILED with the reason; an empty input ends SUCCEEDED.
 */
public class JobPlanner {
  private static final Logger log = LoggerFactory.getLogger(JobPlanner.class);

  private final JobStore jobs;
  private final ObjectStore store;
  private final WorkSubmitter queue;
  private final ManifestWriter manifests;
  private final Executor executor;
  private final Clock clock;
  private final Counter enqueued;
  private final PlanOptions options;
  private final ThreadFactory senderThreads;

  /** A planner with {@link PlanOptions#DEFAULTS}. */
  public JobPlanner(
      JobStore jobs,
      ObjectStore store,
      WorkSubmitter queue,
      ManifestWriter manifests,
      Executor executor,
      Clock clock,
      MeterRegistry meters) {
    this(
        jobs,
        store,
        queue,
        manifests,
        executor,
        clock,
        meters,
        PlanOptions.DEFAULTS,
        namedThreads("spotbatch-plan-send-"));
  }

  /**
   * @param executor runs each job's planning (one thread per job at a time)
   * @param senderThreads makes the threads that send a job's stored chunks while it is planned
   */
  public JobPlanner(
      JobStore jobs,
      ObjectStore store,
      WorkSubmitter queue,
      ManifestWriter manifests,
      Executor executor,
      Clock clock,
      MeterRegistry meters,
      PlanOptions options,
      ThreadFactory senderThreads) {
    this.jobs = jobs;
    this.store = store;
    this.queue = queue;
    this.manifests = manifests;
    this.executor = executor;
    this.clock = clock;
    this.enqueued = meters.counter("spotbatch.items.enqueued");
    this.options = Objects.requireNonNull(options, "options");
    this.senderThreads = Objects.requireNonNull(senderThreads, "senderThreads");
  }

  /** Daemon threads named {@code prefix + n}. */
  public static ThreadFactory namedThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * True while the planning backlog is full: a job submitted now would be refused by the executor
   * (and end FAILED at once), so the API refuses the submission instead, storing nothing.
   */
  public boolean busy() {
    return executor instanceof ThreadPoolExecutor pool && pool.getQueue().remainingCapacity() == 0;
  }

  /** Plans and enqueues the job in the background. */
  public void start(Job job) {
    try {
      executor.execute(() -> run(job));
    } catch (RejectedExecutionException e) {
      jobs.finish(
          job.id(),
          JobStatus.FAILED,
          "the dispatcher is too busy planning other jobs; submit again later",
          null,
          clock.instant());
    }
  }

  /**
   * Plans and enqueues the job on the calling thread (its chunks are sent on sender threads). Never
   * throws: failures end the job. A PENDING job is planned, or its plan resumed where a restart cut
   * it; a RUNNING job's plan is whole, so its unfinished items are sent again without listing.
   */
  public void run(Job job) {
    Job current = null;
    try {
      current = jobs.findJob(job.id()).orElse(null);
      if (current == null || current.status().isFinal()) {
        return; // cancelled (or gone) before its planning started
      }
      TaskSpec task = jobs.taskSpec(job.id()).orElse(null);
      int sent;
      long started = System.nanoTime();
      long listed;
      long waited;
      try (PlanSender sender = new PlanSender(queue, options, senderThreads, enqueued)) {
        int stored = jobs.items().countItems(job.id());
        PlanWriter writer = new PlanWriter(jobs, current, task, stored, sender, options, clock);
        if (current.status() == JobStatus.RUNNING) {
          writer.sendStored(stored); // a job is RUNNING only once its whole plan is stored
        } else {
          if (stored > 0) {
            log.info("job {}: resuming its plan after {} stored items", job.id(), stored);
          }
          plan(current, task, writer);
          writer.finish();
        }
        listed = System.nanoTime() - started;
        waited = sender.waitedNanos();
        sent = sender.finish();
      }
      if (jobs.markStarted(job.id(), clock.instant())) {
        // the phases, for tuning: listing and storing held back by the queue, then its tail
        log.info(
            "job {} running: {} items enqueued in {} ms (listed and stored in {} ms, of which {}"
                + " ms waiting for the queue; then {} ms sending the rest)",
            job.id(),
            sent,
            (System.nanoTime() - started) / 1_000_000,
            listed / 1_000_000,
            waited / 1_000_000,
            (System.nanoTime() - started - listed) / 1_000_000);
      }
      manifests.completeIfDone(job.id()); // an empty input is done at once
    } catch (PlanningStopped e) {
      log.info("job {} ended while being planned; planning stopped", job.id());
    } catch (InputProblem e) {
      fail(job, current, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("planning job {} failed", job.id(), e);
      fail(job, current, "planning failed: " + e);
    }
  }

  private void fail(Job job, Job current, String reason) {
    try {
      Instant now = clock.instant();
      boolean ended = jobs.finish(job.id(), JobStatus.FAILED, reason, null, now);
      if (ended && current != null && current.status() == JobStatus.PENDING) {
        // the stored part of a plan cut short fails with its job (a retry resumes the plan)
        jobs.itemStates().failUnfinished(job.id(), reason, now);
      }
    } catch (RuntimeException e) {
      log.error("could not mark job {} failed ({})", job.id(), reason, e);
    }
  }

  /** The job's items, in input order, ids {@code <jobId>-<index>}. */
  public List<WorkItem> plan(Job job) {
    List<WorkItem> items = new ArrayList<>();
    plan(job, jobs.taskSpec(job.id()).orElse(null), items::add);
    return items;
  }

  /**
   * Hands the job's items to {@code sink} in input order as the listing streams in: reads no data
   * (a stat or a listing only) and holds no more than one object's ranges.
   */
  void plan(Job job, TaskSpec task, Consumer<WorkItem> sink) {
    int[] next = {0};
    forEachObject(
        StoreUri.parse(job.inputUri()),
        o -> {
          for (ByteRange range : split(o.info().size(), job.itemBytes())) {
            sink.accept(
                WorkItems.of(job, task, next[0]++, o.info().uri().toString(), o.name(), range));
          }
        });
  }

  record NamedObject(ObjectInfo info, String name) {}

  /** The objects of an input: the object itself, or everything under it as a prefix. */
  void forEachObject(StoreUri input, Consumer<NamedObject> each) {
    try {
      if (!input.isPrefix()) {
        Optional<ObjectInfo> single = store.stat(input);
        if (single.isPresent()) {
          each.accept(new NamedObject(single.get(), input.name()));
          return;
        }
      }
      StoreUri prefix = input.asPrefix();
      boolean[] listed = {false};
      store.forEachUnder(
          prefix,
          info -> {
            listed[0] = true;
            each.accept(new NamedObject(info, info.uri().relativeTo(prefix)));
          });
      boolean missingDirectory =
          !listed[0]
              && StoreUri.FILE.equals(input.scheme())
              && !java.nio.file.Files.isDirectory(input.toPath());
      if (!listed[0] && (!input.isPrefix() || missingDirectory)) {
        throw new InputProblem(
            "input "
                + input
                + " does not exist (no object there and nothing under "
                + prefix
                + "); check the URI and that the dispatcher can read it");
      }
    } catch (ObjectNotFoundException e) {
      throw new InputProblem(
          "input " + input + " does not exist or is not readable: " + e.getMessage(), e);
    }
  }

  /**
   * Cuts {@code size} bytes into the fewest ranges of at most {@code itemBytes}, of near-equal
   * length, covering {@code [0, size)} exactly. An empty object gives no ranges.
   */
  public static List<ByteRange> split(long size, long itemBytes) {
    if (itemBytes < 1) {
      throw new IllegalArgumentException("itemBytes must be >= 1");
    }
    List<ByteRange> ranges = new ArrayList<>();
    if (size <= 0) {
      return ranges;
    }
    long n = (size + itemBytes - 1) / itemBytes;
    long base = size / n;
    long extra = size % n;
    long start = 0;
    for (long i = 0; i < n; i++) {
      long len = base + (i < extra ? 1 : 0);
      ranges.add(new ByteRange(start, start + len));
      start += len;
    }
    return ranges;
  }
}
