package dev.spotbatch.dispatcher.job;

import dev.spotbatch.model.WorkItem;
import dev.spotbatch.task.TaskSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Takes a job's items from the listing in index order and stores them chunk by chunk, each chunk in
 * its own transaction and handed to the {@link PlanSender} once stored, so the queue fills while
 * the listing goes on. A plan cut short by a crash is resumed: the first {@code stored} items the
 * listing yields again are compared with the stored ones (a page at a time) instead of stored
 * twice, and their unfinished ones sent again (at least once); an input that no longer yields the
 * same items cannot be resumed and fails the job with the reason.
 */
final class PlanWriter implements Consumer<WorkItem> {
  private final JobStore jobs;
  private final Job job;
  private final TaskSpec task;
  private final int stored;
  private final PlanSender sender;
  private final int chunkItems;
  private final Clock clock;
  private final List<WorkItem> fresh;
  private final List<WorkItem> replanned;
  private int planned;

  /**
   * @param stored how many items of the job's plan are stored already (a plan cut short: {@code [0,
   *     stored)}; 0 for a fresh plan)
   */
  PlanWriter(
      JobStore jobs,
      Job job,
      TaskSpec task,
      int stored,
      PlanSender sender,
      PlanOptions options,
      Clock clock) {
    this.jobs = jobs;
    this.job = job;
    this.task = task;
    this.stored = stored;
    this.sender = sender;
    this.chunkItems = options.chunkItems();
    this.clock = clock;
    this.fresh = new ArrayList<>(chunkItems);
    this.replanned = new ArrayList<>(Math.min(stored, chunkItems));
  }

  @Override
  public void accept(WorkItem item) {
    planned++;
    if (item.index() < stored) {
      replanned.add(item);
      if (replanned.size() == chunkItems) {
        checkReplanned();
      }
      return;
    }
    fresh.add(item);
    if (fresh.size() == chunkItems) {
      storeFresh();
    }
  }

  /**
   * Stores and sends what is left after the listing ended.
   *
   * @throws InputProblem if the input now yields fewer items than were stored before
   */
  void finish() {
    checkReplanned();
    storeFresh();
    if (planned < stored) {
      throw changed(
          "it now gives " + planned + " items where " + stored + " were stored before a restart");
    }
  }

  private void storeFresh() {
    if (fresh.isEmpty()) {
      return;
    }
    if (!jobs.items().insertChunk(job.id(), fresh, clock.instant())) {
      throw new PlanningStopped(job.id());
    }
    sender.submit(fresh); // stored first: a crash now sends it again on resume, never loses it
    fresh.clear();
  }

  private void checkReplanned() {
    if (replanned.isEmpty()) {
      return;
    }
    int from = replanned.get(0).index();
    List<ItemRow> rows = jobs.items().itemsByIndex(job.id(), from, replanned.size());
    if (rows.size() != replanned.size()) {
      throw changed("items " + from + ".." + (from + replanned.size() - 1) + " are not all stored");
    }
    for (int i = 0; i < rows.size(); i++) {
      WorkItem now = replanned.get(i);
      ItemRow was = rows.get(i);
      if (!Objects.equals(was.inputUri(), now.inputUri())
          || !Objects.equals(was.inputName(), now.inputName())
          || !Objects.equals(was.range(), now.range())) {
        throw changed(
            "item "
                + was.itemId()
                + " was "
                + was.inputUri()
                + " "
                + was.range()
                + " and is now "
                + now.inputUri()
                + " "
                + now.range());
      }
    }
    replanned.clear();
    sendUnfinished(job, rows);
  }

  /** Sends the job's stored items {@code [0, count)} that are not final, a page at a time. */
  void sendStored(int count) {
    for (int from = 0; from < count; from += chunkItems) {
      sendUnfinished(job, jobs.items().itemsByIndex(job.id(), from, chunkItems));
    }
  }

  private void sendUnfinished(Job job, List<ItemRow> rows) {
    if (!stillOpen()) {
      throw new PlanningStopped(job.id());
    }
    List<WorkItem> batch = new ArrayList<>(rows.size());
    for (ItemRow row : rows) {
      if (!row.status().isFinal()) {
        batch.add(WorkItems.of(job, task, row));
      }
    }
    sender.submit(batch);
  }

  private boolean stillOpen() {
    return jobs.findJob(job.id()).map(j -> !j.status().isFinal()).orElse(false);
  }

  private InputProblem changed(String what) {
    return new InputProblem(
        "the input "
            + job.inputUri()
            + " changed while the job was being planned ("
            + what
            + "), so its plan cannot be resumed after the restart; submit the job again");
  }
}
