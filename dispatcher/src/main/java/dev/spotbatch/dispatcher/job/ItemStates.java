package dev.spotbatch.dispatcher.job;

import java.sql.Types;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Item moves made outside the worker event stream: every unfinished item -> CANCELLED with its job.
 * (The moves events make, start, release, completion and failure, are applied in batches by {@code
 * dispatcher.events.ItemState}.) Each update is conditional and safe to repeat.
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
}
