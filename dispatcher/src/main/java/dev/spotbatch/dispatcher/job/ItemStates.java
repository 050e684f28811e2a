package dev.spotbatch.dispatcher.job;

import java.sql.Types;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Item moves made outside the worker event stream: every unfinished item -> CANCELLED with its job,
 * or FAILED when the job fails for a reason all its items share. (The moves events make, start,
 * release, completion and failure, are applied in batches by {@code dispatcher.events.ItemState}.)
 * Each update is conditional and safe to repeat.
 */
public final class ItemStates {
  private final JdbcClient jdbc;

  ItemStates(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Every PENDING or RUNNING item of the job -> CANCELLED; returns how many moved. */
  public int cancelUnfinished(String jobId, Instant at) {
    return jdbc.sql(
            "update items set status = 'CANCELLED', updated_at = :at where job_id = :id and"
                + " status in ('PENDING', 'RUNNING')")
        .param("at", JobRows.ts(at), Types.TIMESTAMP_WITH_TIMEZONE)
        .param("id", jobId)
        .update();
  }

  /**
   * Every PENDING or RUNNING item of the job -> FAILED with {@code reason}, when the job fails for
   * a reason all its items share; a retry re-runs them like any failed item. Returns how many
   * moved.
   */
  public int failUnfinished(String jobId, String reason, Instant at) {
    return jdbc.sql(
            "update items set status = 'FAILED', last_error = :r, updated_at = :at where job_id ="
                + " :id and status in ('PENDING', 'RUNNING')")
        .param("r", JobRows.truncate(reason))
        .param("at", JobRows.ts(at), Types.TIMESTAMP_WITH_TIMEZONE)
        .param("id", jobId)
        .update();
  }
}
