package dev.spotbatch.dispatcher.events;

import dev.spotbatch.dispatcher.job.FailureRow;
import dev.spotbatch.dispatcher.job.ItemStatus;
import dev.spotbatch.dispatcher.job.JobRows;
import dev.spotbatch.dispatcher.job.JobStatus;
import dev.spotbatch.dispatcher.job.UsageRow;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.model.InstanceFacts;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The set-based SQL behind {@link EventApplier}: a batch of events costs a handful of statements
 * whatever its size (one read each of the applied event ids, the items, the jobs and the parts they
 * name; one JDBC batch per table written), instead of several per event. Runs on H2 and PostgreSQL;
 * the caller holds the transaction.
 */
final class EventRows {
  /** JDBC batches of this many rows; IN lists are no longer than a received batch. */
  private static final int JDBC_BATCH = 500;

  private final JdbcTemplate template;
  private final JdbcClient jdbc;

  EventRows(DataSource dataSource) {
    this.template = new JdbcTemplate(dataSource);
    this.jdbc = JdbcClient.create(template);
  }

  /** Which of these event ids were applied before (their usage row is the idempotency key). */
  Set<String> applied(Collection<String> eventIds) {
    if (eventIds.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(
        jdbc.sql("select event_id from job_usage where event_id in (:ids)")
            .param("ids", List.copyOf(eventIds))
            .query(String.class)
            .list());
  }

  /** The rows of these items, by item id (unknown ids are absent). */
  Map<String, ItemState> items(Collection<String> itemIds) {
    Map<String, ItemState> out = new HashMap<>();
    if (itemIds.isEmpty()) {
      return out;
    }
    jdbc.sql(
            "select item_id, job_id, status, failures, interruptions, last_error from items"
                + " where item_id in (:ids)")
        .param("ids", List.copyOf(itemIds))
        .query(
            rs -> {
              ItemState s =
                  new ItemState(
                      rs.getString("item_id"),
                      rs.getString("job_id"),
                      ItemStatus.valueOf(rs.getString("status")),
                      rs.getInt("failures"),
                      rs.getInt("interruptions"),
                      rs.getString("last_error"));
              out.put(s.itemId, s);
            });
    return out;
  }

  /** The status of these jobs, by job id. */
  Map<String, JobStatus> jobStatuses(Collection<String> jobIds) {
    Map<String, JobStatus> out = new HashMap<>();
    if (jobIds.isEmpty()) {
      return out;
    }
    jdbc.sql("select id, status from jobs where id in (:ids)")
        .param("ids", List.copyOf(jobIds))
        .query(
            (RowCallbackHandler)
                rs -> out.put(rs.getString("id"), JobStatus.valueOf(rs.getString("status"))));
    return out;
  }

  /** Which of these part paths each job already has, as {@link PendingWrites#partKey} keys. */
  Set<String> existingParts(Map<String, Set<String>> pathsByJob) {
    Set<String> out = new HashSet<>();
    pathsByJob.forEach(
        (jobId, paths) -> {
          if (!paths.isEmpty()) {
            jdbc.sql("select path from parts where job_id = :j and path in (:paths)")
                .param("j", jobId)
                .param("paths", List.copyOf(paths))
                .query(String.class)
                .list()
                .forEach(p -> out.add(PendingWrites.partKey(jobId, p)));
          }
        });
    return out;
  }

  /** Of these jobs, those with an item still PENDING or RUNNING (they cannot be done yet). */
  Set<String> withUnfinishedItems(Collection<String> jobIds) {
    if (jobIds.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(
        // exists stops at the first unfinished item: the cost does not grow with the job
        jdbc.sql(
                "select j.id from jobs j where j.id in (:ids) and exists (select 1 from items i"
                    + " where i.job_id = j.id and i.status in ('PENDING', 'RUNNING'))")
            .param("ids", List.copyOf(jobIds))
            .query(String.class)
            .list());
  }

  /**
   * Writes what a batch produced. Each item row is updated only if it still holds what was read at
   * the start of the batch: another writer (a cancel, a retry, the dead-letter sweeper) that moved
   * it in between makes this throw, the transaction roll back, and the consumer apply the batch
   * again from the new state.
   */
  void write(PendingWrites w) {
    insertUsage(w.usage());
    insertFailures(w.failures());
    insertParts(w.parts());
    updateItems(w.items());
  }

  private void insertUsage(List<UsageRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    template.batchUpdate(
        "insert into job_usage (event_id, job_id, item_id, worker_id, provider, instance_id,"
            + " instance_type, region, zone, lifecycle, machine_seconds, at, records, waste)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
        JDBC_BATCH,
        (ps, u) -> {
          InstanceFacts i = u.instance();
          ps.setString(1, u.eventId());
          ps.setString(2, u.jobId());
          ps.setString(3, u.itemId());
          ps.setString(4, u.workerId());
          ps.setString(5, i.provider());
          ps.setString(6, i.instanceId());
          ps.setString(7, i.instanceType());
          ps.setString(8, i.region());
          ps.setString(9, i.zone());
          ps.setString(10, i.lifecycle().name());
          ps.setDouble(11, u.machineSeconds());
          ps.setObject(12, JobRows.ts(u.at()), Types.TIMESTAMP_WITH_TIMEZONE);
          ps.setLong(13, u.records());
          ps.setString(14, u.waste() == null ? null : u.waste().name());
        });
  }

  private void insertFailures(List<FailureRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    template.batchUpdate(
        "insert into failures (event_id, job_id, item_id, reason, failures, terminal, worker_id,"
            + " at) values (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
        JDBC_BATCH,
        (ps, f) -> {
          ps.setString(1, f.eventId());
          ps.setString(2, f.jobId());
          ps.setString(3, f.itemId());
          ps.setString(4, JobRows.truncate(f.reason()));
          ps.setInt(5, f.failures());
          ps.setBoolean(6, f.terminal());
          ps.setString(7, f.workerId());
          ps.setObject(8, JobRows.ts(f.at()), Types.TIMESTAMP_WITH_TIMEZONE);
        });
  }

  private void insertParts(List<PendingWrites.Part> rows) {
    if (rows.isEmpty()) {
      return;
    }
    template.batchUpdate(
        "insert into parts (job_id, path, item_id, kind, records, range_start, range_end) values"
            + " (?, ?, ?, ?, ?, ?, ?)",
        rows,
        JDBC_BATCH,
        (ps, p) -> {
          PartRef ref = p.ref();
          ps.setString(1, p.jobId());
          ps.setString(2, ref.path());
          ps.setString(3, p.itemId());
          ps.setString(4, p.kind().name());
          ps.setLong(5, ref.records());
          ps.setLong(6, ref.range().start());
          ps.setLong(7, ref.range().end());
        });
  }

  private void updateItems(Collection<ItemState> items) {
    List<ItemState> changed = new ArrayList<>();
    for (ItemState s : items) {
      if (s.changed()) {
        changed.add(s);
      }
    }
    if (changed.isEmpty()) {
      return;
    }
    int[][] counts =
        template.batchUpdate(
            "update items set status = ?, failures = ?, interruptions = ?, last_error = ?,"
                + " updated_at = ? where item_id = ? and status = ? and failures = ? and"
                + " interruptions = ?",
            changed,
            JDBC_BATCH,
            (ps, s) -> {
              ps.setString(1, s.status().name());
              ps.setInt(2, s.failures());
              ps.setInt(3, s.interruptions());
              ps.setString(4, JobRows.truncate(s.lastError()));
              ps.setObject(5, JobRows.ts(s.updatedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
              ps.setString(6, s.itemId);
              ps.setString(7, s.readStatus.name());
              ps.setInt(8, s.readFailures);
              ps.setInt(9, s.readInterruptions);
            });
    int k = 0;
    for (int[] chunk : counts) {
      for (int n : chunk) {
        // SUCCESS_NO_INFO (-2) says the row count is unknown: trust the driver's success
        if (n == 0) {
          throw new ConcurrentItemChangeException(changed.get(k).itemId);
        }
        k++;
      }
    }
  }

  /** An item moved by another writer while a batch of its events was applied. */
  static final class ConcurrentItemChangeException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ConcurrentItemChangeException(String itemId) {
      super("item " + itemId + " changed while its events were applied; the batch is retried");
    }
  }
}
