package dev.spotbatch.worker.item;

import dev.spotbatch.model.OutputFormat;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.task.ModelProblemException;
import dev.spotbatch.task.TaskSpec;
import dev.spotbatch.task.TaskType;
import dev.spotbatch.worker.inference.Batchers;
import dev.spotbatch.worker.inference.UnknownModelException;
import dev.spotbatch.worker.lease.AbandonReason;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ItemOutcome;
import dev.spotbatch.worker.output.ResultPart;
import dev.spotbatch.worker.output.ResultParts;
import dev.spotbatch.worker.plugin.Plugins;
import dev.spotbatch.worker.task.TaskPlan;
import dev.spotbatch.worker.task.Tokenizers;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Works one lease, as an item thread of the lease loop: checks that the item may run here, runs the
 * {@link ChunkPipeline} over its byte range, and has the {@link ItemCommitter} end the lease as the
 * run ended. The whole range written is completed; a stop from the drain is checkpointed (or handed
 * back with nothing written); a lease no longer held is abandoned, and the queue delivers the item
 * again; an error fails the item, which is retried with a backoff until its failures are used up. A
 * location outside the allowed roots fails the item for good at once; an unknown model, or a
 * brought model that cannot be used (see {@link dev.spotbatch.worker.model.BroughtModels}), also
 * ends its job ({@link dev.spotbatch.event.FailureCause#MODEL_UNUSABLE}): every item would fail the
 * same way. A lease the drain took back (before its first record was written, see {@link
 * ActiveItem#takeBack}) is not touched: the drain ends it. Thread-safe: one call per lease.
 */
public final class ItemProcessor {
  private final ItemCommitter committer;
  private final ChunkPipeline pipeline;
  private final Batchers batchers;
  private final StorageRoots allowedRoots;
  private final ResultParts parts;
  private final Tokenizers tokenizers;
  private final Plugins plugins;

  /**
   * @param tempDir where each lease's parts are staged before the committer puts them in the store
   */
  public ItemProcessor(
      ItemCommitter committer,
      ChunkPipeline pipeline,
      Batchers batchers,
      StorageRoots allowedRoots,
      Path tempDir) {
    this(
        committer,
        pipeline,
        batchers,
        allowedRoots,
        tempDir,
        new Tokenizers(Path.of(System.getProperty("java.io.tmpdir"), "spotbatch-models")));
  }

  /**
   * @param tokenizers the tokenizers the chunk task counts with
   */
  public ItemProcessor(
      ItemCommitter committer,
      ChunkPipeline pipeline,
      Batchers batchers,
      StorageRoots allowedRoots,
      Path tempDir,
      Tokenizers tokenizers) {
    this(committer, pipeline, batchers, allowedRoots, tempDir, tokenizers, Plugins.none());
  }

  /**
   * @param plugins the translator plugins jobs may name
   */
  public ItemProcessor(
      ItemCommitter committer,
      ChunkPipeline pipeline,
      Batchers batchers,
      StorageRoots allowedRoots,
      Path tempDir,
      Tokenizers tokenizers,
      Plugins plugins) {
    this.tokenizers = Objects.requireNonNull(tokenizers, "tokenizers");
    this.plugins = Objects.requireNonNull(plugins, "plugins");
    this.committer = Objects.requireNonNull(committer, "committer");
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.batchers = Objects.requireNonNull(batchers, "batchers");
    this.allowedRoots = Objects.requireNonNull(allowedRoots, "allowedRoots");
    this.parts = new ResultParts(Objects.requireNonNull(tempDir, "tempDir"));
  }

  /** Works the lease to one of the outcomes; never throws. */
  public ItemOutcome process(ActiveItem active) {
    if (!active.begin()) {
      return ItemOutcome.HANDED_BACK; // the drain took it back before it started
    }
    if (pipeline.jobCancelled(active)) {
      return committer.cancelled(active); // acknowledged without any work
    }
    committer.started(active);
    try {
      return work(active);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      active.abandon(AbandonReason.SHUTDOWN);
      return committer.abandoned(active);
    } catch (Exception e) { // the input, the model, the store or the queue failed
      if (active.isJobCancelled()) {
        return committer.cancelled(active); // its records were dropped: not a failure
      }
      if (Outages.isOutage(e)) {
        return committer.deferred(active, describe(e)); // the item is not at fault: it waits
      }
      return committer.failed(active, describe(e));
    }
  }

  private ItemOutcome work(ActiveItem active) throws InterruptedException, ExecutionException {
    WorkItem item = active.lease().item();
    Optional<String> outside = outsideAllowedRoots(item);
    if (outside.isPresent()) {
      return committer.refused(active, outside.get());
    }
    TaskSpec spec = item.taskSpec();
    Batchers.Lease model = null;
    try {
      TaskPlan plan;
      try {
        requireFits(item.outputFormat(), spec);
        if (spec.model() != null) {
          model = batchers.acquire(spec.model());
          model.batcher().cancelOn(active.cancellation());
        }
        plan =
            TaskPlan.of(
                spec,
                model == null ? null : model.batcher(),
                tokenizers,
                plugins,
                pipeline.contentClaims(item));
      } catch (UnknownModelException | ModelProblemException e) {
        // the same for every item of the job: fail for good at once, and end the job with it
        return committer.modelUnusable(active, e.getMessage());
      }
      Batchers.Lease vectors = model;
      try (ResultPart writer =
          parts.open(item.outputFormat(), () -> vectors.batcher().model().dimensions())) {
        return switch (pipeline.run(active, plan, batchers.chunkSize(), writer)) {
          case READ_ALL ->
              pipeline.jobCancelled(active)
                  ? committer.cancelled(active)
                  : committer.complete(active, writer);
          case STOPPED -> committer.checkpointOrHandBack(active, writer);
          case LEASE_GONE -> committer.abandoned(active);
          case TAKEN_BACK -> committer.takenBack(active);
          case CANCELLED -> committer.cancelled(active);
        };
      }
    } finally {
      if (model != null) {
        model.close();
      }
    }
  }

  /**
   * The dispatcher refuses a job whose output format cannot hold its tasks' results; an item that
   * says otherwise (a hand-made message) fails its job the same way at once.
   */
  private static void requireFits(OutputFormat format, TaskSpec spec) {
    if (format == OutputFormat.NPY && spec.terminal() != TaskType.EMBED) {
      throw new ModelProblemException(
          "output format npy holds one vector per record; tasks "
              + spec.tasks().stream().map(TaskType::id).toList()
              + " do not end with embed (use format jsonl)");
    }
  }

  /** Why the item's input or output may not be used here, or empty if both may. */
  private Optional<String> outsideAllowedRoots(WorkItem item) {
    try {
      allowedRoots.check(item.inputUri());
      allowedRoots.check(item.outputUri());
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** A failure's message for the item's failure record (the cause of a model failure). */
  static String describe(Throwable e) {
    Throwable t = e;
    if (t instanceof ExecutionException && t.getCause() != null) {
      t = t.getCause();
    }
    String msg = t.getMessage();
    return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
  }
}
