package dev.spotbatch.dispatcher.job;

import dev.spotbatch.event.PartRef;
import dev.spotbatch.model.WorkItem;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A job's items (its plan, stored and read in pages), their outcomes, the parts they committed and
 * the failures they reported, in {@link JobStore}'s database. Updates are conditional, as in {@link
 * JobStore}: a call that would move a final item returns false and changes nothing.
 */
public final class ItemStore {
  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final TransactionTemplate tx;
  private final ProgressQuery progress;

  ItemStore(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.template = template;
    this.tx = tx;
    this.progress = new ProgressQuery(jdbc);
  }

  /**
   * Stores a list of items, all or nothing. The planner stores its plans chunk by chunk instead
   * ({@link #insertChunk}), resuming a plan cut short from {@link #countItems}.
   */
  public void insertItems(List<WorkItem> items, Instant at) {
    if (items.isEmpty()) {
      return;
    }
    OffsetDateTime now = JobRows.ts(at);
    tx.executeWithoutResult(status -> insertBatch(items, now));
  }

  /**
   * Stores a whole plan as {@code plan} hands its items to the sink, {@value #PLAN_BATCH} rows per
   * JDBC batch, all in one transaction: memory stays bounded by one batch whatever the plan's size,
   * and an exception from {@code plan} stores nothing. (The planner pipelines its plans with {@link
   * #insertChunk} instead; this stays for callers that want one transaction.)
   *
   * @return how many items were stored
   */
  public int insertItems(Consumer<Consumer<WorkItem>> plan, Instant at) {
    OffsetDateTime now = JobRows.ts(at);
    Integer stored =
        tx.execute(
            status -> {
              List<WorkItem> batch = new ArrayList<>(PLAN_BATCH);
              int[] count = {0};
              plan.accept(
                  item -> {
                    batch.add(item);
                    if (batch.size() == PLAN_BATCH) {
                      insertBatch(batch, now);
                      count[0] += batch.size();
                      batch.clear();
                    }
                  });
              insertBatch(batch, now);
              return count[0] + batch.size();
            });
    return stored == null ? 0 : stored;
  }

  static final int PLAN_BATCH = 1000;

  /**
   * Stores one chunk of a job's plan in its own transaction, only while the job is PENDING: the
   * job's row is locked first, so a cancel either comes before (nothing is stored, false) or after
   * (it sees these items). Chunks of one plan are stored in index order, so a stored plan is always
   * the items {@code [0, countItems)}.
   *
   * @return false if the job is no longer PENDING (nothing stored)
   */
  public boolean insertChunk(String jobId, List<WorkItem> items, Instant at) {
    OffsetDateTime now = JobRows.ts(at);
    Boolean stored =
        tx.execute(
            status -> {
              boolean pending =
                  jdbc.sql("select status from jobs where id = :id for update")
                      .param("id", jobId)
                      .query(String.class)
                      .optional()
                      .filter(JobStatus.PENDING.name()::equals)
                      .isPresent();
              if (pending) {
                insertBatch(items, now);
              }
              return pending;
            });
    return Boolean.TRUE.equals(stored);
  }

  /** How many items of a job's plan are stored (all of it once the job is RUNNING). */
  public int countItems(String jobId) {
    return jdbc.sql("select count(*) from items where job_id = :id")
        .param("id", jobId)
        .query(Integer.class)
        .single();
  }

  private void insertBatch(List<WorkItem> items, OffsetDateTime now) {
    if (items.isEmpty()) {
      return;
    }
    template.batchUpdate(
        "insert into items (item_id, job_id, idx, input_uri, input_name, range_start, range_end,"
            + " status, failures, interruptions, last_error, updated_at) values (?, ?, ?, ?, ?, ?,"
            + " ?, 'PENDING', 0, 0, null, ?)",
        items,
        500,
        (ps, item) -> {
          ps.setString(1, item.itemId());
          ps.setString(2, item.jobId());
          ps.setInt(3, item.index());
          ps.setString(4, item.inputUri());
          ps.setString(5, item.inputName());
          ps.setLong(6, item.range().start());
          ps.setLong(7, item.range().end());
          ps.setObject(8, now, Types.TIMESTAMP_WITH_TIMEZONE);
        });
  }

  /** Whether a job's plan is stored. */
  public boolean hasItems(String jobId) {
    return jdbc.sql("select 1 from items where job_id = :id limit 1")
        .param("id", jobId)
        .query((rs, n) -> 1)
        .optional()
        .isPresent();
  }

  /**
   * A job's items with indexes {@code [from, from + count)}, in index order: pages that walk a plan
   * of any size in bounded memory. Looked up by their primary keys ({@link WorkItems#itemId}), so
   * each page costs the same however deep it is (the schema has no index on the item index). Fewer
   * than {@code count} rows past the end of the plan.
   */
  public List<ItemRow> itemsByIndex(String jobId, int from, int count) {
    List<String> ids = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      ids.add(WorkItems.itemId(jobId, i));
    }
    return jdbc.sql("select * from items where job_id = :id and item_id in (:ids) order by idx")
        .param("id", jobId)
        .param("ids", ids)
        .query(JobRows::item)
        .list();
  }

  /**
   * When the oldest unfinished item (pending or running, over all jobs) last changed: the backlog's
   * age for metrics and autoscaling. Empty when every item is final.
   */
  public Optional<Instant> oldestUnfinishedItemSince() {
    return jdbc
        .sql("select min(updated_at) from items where status in ('PENDING', 'RUNNING')")
        .query((rs, n) -> rs.getObject(1, OffsetDateTime.class))
        .list()
        .stream()
        .filter(Objects::nonNull)
        .map(OffsetDateTime::toInstant)
        .findFirst();
  }

  public Optional<ItemRow> findItem(String itemId) {
    return jdbc.sql("select * from items where item_id = :id")
        .param("id", itemId)
        .query(JobRows::item)
        .optional();
  }

  /** Every item of a job, in index order (a whole plan in memory: prefer {@link #itemsByIndex}). */
  public List<ItemRow> inJob(String jobId) {
    return jdbc.sql("select * from items where job_id = :id order by idx")
        .param("id", jobId)
        .query(JobRows::item)
        .list();
  }

  /** A job's items in {@code status}, in index order. */
  public List<ItemRow> inJob(String jobId, ItemStatus status) {
    return jdbc.sql("select * from items where job_id = :id and status = :s order by idx")
        .param("id", jobId)
        .param("s", status.name())
        .query(JobRows::item)
        .list();
  }

  /** A non-final item -> SUCCEEDED. */
  public boolean completeItem(String itemId, int failures, int interruptions, Instant at) {
    return jdbc.sql(
                "update items set status = 'SUCCEEDED', failures = :f, interruptions = :i,"
                    + " updated_at = :at where item_id = :id and status in ('PENDING', 'RUNNING')")
            .param("f", failures)
            .param("i", interruptions)
            .param("at", JobRows.ts(at), Types.TIMESTAMP_WITH_TIMEZONE)
            .param("id", itemId)
            .update()
        == 1;
  }

  /** A non-final item records a failure; it becomes FAILED when {@code terminal}. */
  public boolean failItem(
      String itemId, String reason, int failures, boolean terminal, Instant at) {
    return jdbc.sql(
                "update items set status = :s, failures = :f, last_error = :r, updated_at = :at"
                    + " where item_id = :id and status in ('PENDING', 'RUNNING')")
            .param("s", terminal ? "FAILED" : "PENDING")
            .param("f", failures)
            .param("r", JobRows.truncate(reason))
            .param("at", JobRows.ts(at), Types.TIMESTAMP_WITH_TIMEZONE)
            .param("id", itemId)
            .update()
        == 1;
  }

  /** FAILED items of a job -> PENDING with a fresh failure budget; returns them. */
  public List<ItemRow> resetFailedItems(String jobId, Instant at) {
    List<ItemRow> failed = inJob(jobId, ItemStatus.FAILED);
    jdbc.sql(
            "update items set status = 'PENDING', failures = 0, updated_at = :at where job_id ="
                + " :id and status = 'FAILED'")
        .param("at", JobRows.ts(at), Types.TIMESTAMP_WITH_TIMEZONE)
        .param("id", jobId)
        .update();
    List<ItemRow> out = new ArrayList<>();
    for (ItemRow r : failed) {
      out.add(
          new ItemRow(
              r.itemId(),
              r.jobId(),
              r.index(),
              r.inputUri(),
              r.inputName(),
              r.range(),
              ItemStatus.PENDING,
              0,
              r.interruptions(),
              r.lastError()));
    }
    return out;
  }

  /**
   * A job's item and record counts in a bounded number of rows ({@link ProgressQuery}). A SUCCEEDED
   * item whose committed parts do not tile its range (a checkpoint part not applied yet) counts as
   * running: it is not done until {@link #selectedParts} can list it.
   */
  public JobProgress progress(String jobId) {
    return progress.of(jobId);
  }

  /** The item counts of {@link #progress}. */
  public ItemCounts itemCounts(String jobId) {
    return progress(jobId).items();
  }

  // ---- parts

  /** Records a committed part once; returns false if the job already has a part at that path. */
  public boolean insertPart(String jobId, String itemId, PartKind kind, PartRef part) {
    Long exists =
        jdbc.sql("select count(*) from parts where job_id = :j and path = :p")
            .param("j", jobId)
            .param("p", part.path())
            .query(Long.class)
            .single();
    if (exists > 0) {
      return false;
    }
    jdbc.sql(
            "insert into parts (job_id, path, item_id, kind, records, range_start, range_end)"
                + " values (:j, :p, :i, :k, :n, :s, :e)")
        .param("j", jobId)
        .param("p", part.path())
        .param("i", itemId)
        .param("k", kind.name())
        .param("n", part.records())
        .param("s", part.range().start())
        .param("e", part.range().end())
        .update();
    return true;
  }

  /** A job's parts sorted by path. */
  public List<PartRow> parts(String jobId) {
    return jdbc.sql("select * from parts where job_id = :j order by path")
        .param("j", jobId)
        .query(ProgressQuery::part)
        .list();
  }

  /**
   * Record counts of the parts the manifest lists ({@link #selectedParts}), from {@link #progress}.
   */
  public RecordCounts recordCounts(String jobId) {
    return progress(jobId).records();
  }

  /** The parts a job's manifest lists, chosen by {@link PartTiling#select}. */
  public SelectedParts selectedParts(String jobId) {
    return PartTiling.select(inJob(jobId, ItemStatus.SUCCEEDED), parts(jobId));
  }

  // ---- failures

  public void insertFailure(FailureRow f) {
    jdbc.sql(
            "insert into failures (event_id, job_id, item_id, reason, failures, terminal,"
                + " worker_id, at) values (:e, :j, :i, :r, :f, :t, :w, :at)")
        .param("e", f.eventId())
        .param("j", f.jobId())
        .param("i", f.itemId())
        .param("r", JobRows.truncate(f.reason()))
        .param("f", f.failures())
        .param("t", f.terminal())
        .param("w", f.workerId())
        .param("at", JobRows.ts(f.at()), Types.TIMESTAMP_WITH_TIMEZONE)
        .update();
  }

  /** A job's failures, oldest first. */
  public List<FailureRow> failures(String jobId) {
    return jdbc.sql("select * from failures where job_id = :j order by at, event_id")
        .param("j", jobId)
        .query(
            (rs, n) ->
                new FailureRow(
                    rs.getString("event_id"),
                    rs.getString("job_id"),
                    rs.getString("item_id"),
                    rs.getString("reason"),
                    rs.getInt("failures"),
                    rs.getBoolean("terminal"),
                    rs.getString("worker_id"),
                    JobRows.instant(rs, "at")))
        .list();
  }
}
