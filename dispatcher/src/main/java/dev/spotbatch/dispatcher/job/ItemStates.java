package dev.spotbatch.dispatcher.job;

import dev.spotbatch.model.Attempts;
import java.sql.Types;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The item moves that say where work is, not what it produced: PENDING -> RUNNING when a worker
 * starts it, RUNNING -> PENDING when a worker gives it back (checkpoint, hand-back), and every
 * unfinished item -> CANCELLED with its job. Events arrive in any order, so a move carries the
 * attempts of the lease it is about and is ignored when the item has moved on since: a start older
 * than the item's last failure, or a release older than the item's last start (its interruptions).
 * Each update is conditional and safe to repeat.
 */
public final class ItemStates {
  private final JdbcClient jdbc;

  ItemStates(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A worker started the item under {@code attempts}: PENDING -> RUNNING. */
  public boolean started(String itemId, Attempts attempts, Instant at) {
    Attempts a = attempts == null ? Attempts.NONE : attempts;
    return jdbc.sql(
                "update items set status = 'RUNNING', interruptions = :i, updated_at = :at where"
                    + " item_id = :id and status = 'PENDING' and failures <= :f and interruptions"
                    + " <= :i")
            .param("f", a.failures())
            .param("i", a.interruptions())
            .param("at", JobRows.ts(at), Types.TIMESTAMP_WITH_TIMEZONE)
            .param("id", itemId)
            .update()
        == 1;
  }

  /** A worker gave back the lease it held under {@code attempts}: RUNNING -> PENDING. */
  public boolean released(String itemId, Attempts attempts, Instant at) {
    Attempts a = attempts == null ? Attempts.NONE : attempts;
    return jdbc.sql(
                "update items set status = 'PENDING', updated_at = :at where item_id = :id and"
                    + " status = 'RUNNING' and interruptions <= :i")
            .param("i", a.interruptions())
            .param("at", JobRows.ts(at), Types.TIMESTAMP_WITH_TIMEZONE)
            .param("id", itemId)
            .update()
        == 1;
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
