package dev.spotbatch.dispatcher.events;

import dev.spotbatch.dispatcher.job.FailureRow;
import dev.spotbatch.dispatcher.job.PartKind;
import dev.spotbatch.dispatcher.job.UsageRow;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.PartRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a batch of events read and what it will write, held in memory until {@link EventRows#write}
 * writes it in one go: the event ids seen (in the database or earlier in the batch), the items and
 * jobs the batch names, the part paths each job has, and the new rows.
 */
final class PendingWrites {
  /** A committed part to record. */
  record Part(String jobId, String itemId, PartKind kind, PartRef ref) {}

  private final Set<String> seenEvents;
  private final Map<String, ItemState> items;
  private final Set<String> parts;
  private final List<UsageRow> usage = new ArrayList<>();
  private final List<FailureRow> failures = new ArrayList<>();
  private final List<Part> newParts = new ArrayList<>();
  private final List<ItemFailed> jobEnders = new ArrayList<>();

  PendingWrites(Set<String> appliedEvents, Map<String, ItemState> items, Set<String> parts) {
    this.seenEvents = appliedEvents;
    this.items = items;
    this.parts = parts;
  }

  /** The key of a job's part path in {@link EventRows#existingParts}. */
  static String partKey(String jobId, String path) {
    return jobId + '\n' + path;
  }

  /** Marks the event seen; false if it was applied before or earlier in this batch. */
  boolean firstSighting(String eventId) {
    return seenEvents.add(eventId);
  }

  ItemState item(String itemId) {
    return items.get(itemId);
  }

  void usage(UsageRow row) {
    usage.add(row);
  }

  void failure(FailureRow row) {
    failures.add(row);
  }

  /** Records a part once; false if the job already has a part at that path. */
  boolean part(String jobId, String itemId, PartKind kind, PartRef ref) {
    if (!parts.add(partKey(jobId, ref.path()))) {
      return false;
    }
    newParts.add(new Part(jobId, itemId, kind, ref));
    return true;
  }

  /** A terminal failure that ends its whole job (a model no worker can run). */
  void endsJob(ItemFailed failure) {
    jobEnders.add(failure);
  }

  List<ItemFailed> jobEnders() {
    return jobEnders;
  }

  List<UsageRow> usage() {
    return usage;
  }

  List<FailureRow> failures() {
    return failures;
  }

  List<Part> parts() {
    return newParts;
  }

  Collection<ItemState> items() {
    return items.values();
  }
}
