package dev.spotbatch.dispatcher.recovery;

import dev.spotbatch.dispatcher.events.Transactions;
import dev.spotbatch.dispatcher.job.FailureRow;
import dev.spotbatch.dispatcher.job.ItemRow;
import dev.spotbatch.dispatcher.job.JobStore;
import dev.spotbatch.dispatcher.job.ManifestWriter;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.DeadLetter;
import dev.spotbatch.queue.DeadLetterQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends dead-lettered items in a visible state: each item the broker gave up on is marked FAILED
 * with the dead letter's reason (listed by {@code GET /jobs/{id}/failures}, re-run by {@code POST
 * /jobs/{id}/retry}), its job completes (FAILED, with a {@code _FAILED} manifest) once every item
 * is final, and only then is the dead letter acknowledged. Counts {@code
 * spotbatch.items.dead.lettered{outcome}} and reports the dead-letter queue's depth after each
 * sweep as {@code spotbatch.dlq.messages}.
 */
public class DeadLetterSweeper {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterSweeper.class);

  /** The failure's worker id: the broker, not a worker, gave up on the item. */
  public static final String SOURCE = "dead-letter-queue";

  private static final Duration WAIT = Duration.ofSeconds(1);

  /** Receives per sweep at most, so a flood cannot starve the reconciler. */
  private static final int MAX_BATCHES = 100;

  private final DeadLetterQueue dlq;
  private final JobStore jobs;
  private final ManifestWriter manifests;
  private final Transactions tx;
  private final Clock clock;
  private final int batch;
  private final Meters meters;

  public DeadLetterSweeper(
      DeadLetterQueue dlq,
      JobStore jobs,
      ManifestWriter manifests,
      Transactions tx,
      Clock clock,
      int batch,
      Meters meters) {
    this.dlq = Objects.requireNonNull(dlq, "dlq");
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.manifests = Objects.requireNonNull(manifests, "manifests");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.batch = batch;
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /** Handles what is on the dead-letter queue now; returns how many dead letters it handled. */
  public int sweep() {
    int handled = 0;
    for (int i = 0; i < MAX_BATCHES; i++) {
      List<DeadLetter> letters = dlq.receive(batch, WAIT);
      if (letters.isEmpty()) {
        break;
      }
      Set<String> touched = new LinkedHashSet<>();
      for (DeadLetter letter : letters) {
        DeadLetterOutcome outcome = tx.inTransaction(() -> apply(letter));
        meters.count(outcome);
        if (outcome == DeadLetterOutcome.FAILED) {
          touched.add(letter.item().jobId());
        }
      }
      for (String jobId : touched) {
        manifests.completeIfDone(jobId);
      }
      dlq.acknowledge(letters);
      handled += letters.size();
      if (letters.size() < batch) {
        break;
      }
    }
    meters.depth(dlq.depth());
    return handled;
  }

  private DeadLetterOutcome apply(DeadLetter letter) {
    WorkItem item = letter.item();
    if (item == null) {
      log.error("dead letter {} dropped: {}", letter.handle(), letter.reason());
      return DeadLetterOutcome.UNDECODABLE;
    }
    Optional<ItemRow> row = jobs.items().findItem(item.itemId());
    if (row.isEmpty() || !row.get().jobId().equals(item.jobId())) {
      log.error(
          "dead letter for unknown item {} of job {} dropped: {}",
          item.itemId(),
          item.jobId(),
          letter.reason());
      return DeadLetterOutcome.UNKNOWN_ITEM;
    }
    Instant now = clock.instant();
    int failures = Math.max(row.get().failures(), item.attempts().failures());
    if (!jobs.items().failItem(item.itemId(), letter.reason(), failures, true, now)) {
      log.info("dead letter for item {} ignored: it is already final", item.itemId());
      return DeadLetterOutcome.ALREADY_FINAL;
    }
    jobs.items()
        .insertFailure(
            new FailureRow(
                "dead-letter:" + item.itemId() + ":" + now.toEpochMilli(),
                item.jobId(),
                item.itemId(),
                letter.reason(),
                failures,
                true,
                SOURCE,
                now));
    log.warn("item {} of job {} FAILED: {}", item.itemId(), item.jobId(), letter.reason());
    return DeadLetterOutcome.FAILED;
  }

  /**
   * The dead-letter meters, registered at start (whether or not a dead-letter queue is watched) so
   * dashboards and alert rules find them on an idle dispatcher.
   */
  public static final class Meters {
    private final Map<DeadLetterOutcome, Counter> counters = new EnumMap<>(DeadLetterOutcome.class);
    private final AtomicLong depth = new AtomicLong();

    public Meters(MeterRegistry registry) {
      for (DeadLetterOutcome o : DeadLetterOutcome.values()) {
        counters.put(
            o,
            Counter.builder("spotbatch.items.dead.lettered")
                .tag("outcome", o.name().toLowerCase(Locale.ROOT))
                .description("dead letters handled by the dispatcher, by what became of the item")
                .register(registry));
      }
      Gauge.builder("spotbatch.dlq.messages", depth, AtomicLong::get)
          .description("messages on the work queue's dead-letter queue after the last sweep")
          .register(registry);
    }

    void count(DeadLetterOutcome outcome) {
      counters.get(outcome).increment();
    }

    void depth(long messages) {
      depth.set(messages);
    }
  }
}
