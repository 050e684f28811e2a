package dev.spotbatch.dispatcher.recovery;

import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The reconciler's questions to the job store (the tables of {@code db/migration}, V3 adds {@code
 * items.resent_at} and {@code items.resends}). Plain SQL that runs on H2 and PostgreSQL.
 */
public class RecoveryStore {
  private static final String UNFINISHED_OF_RUNNING_JOBS =
      " from items i join jobs j on j.id = i.job_id"
          + " where j.status = 'RUNNING' and i.status in ('PENDING', 'RUNNING')";

  private final JdbcClient jdbc;

  public RecoveryStore(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
  }

  /** Items of RUNNING jobs that are neither succeeded nor failed. */
  public long unfinishedItems() {
    return jdbc.sql("select count(*)" + UNFINISHED_OF_RUNNING_JOBS).query(Long.class).single();
  }

  /**
   * Unfinished items of running jobs with no sign of life since {@code before}: not changed, not
   * re-sent and no event (recorded in {@code job_usage}) since then; oldest first.
   */
  public List<ItemSign> silentItems(Instant before, int limit) {
    return jdbc.sql(
            "select i.item_id, i.job_id, i.updated_at, i.resent_at"
                + UNFINISHED_OF_RUNNING_JOBS
                + " and i.updated_at < :before"
                + " and (i.resent_at is null or i.resent_at < :before)"
                + " and not exists (select 1 from job_usage u where u.item_id = i.item_id"
                + " and u.at >= :before)"
                + " order by coalesce(i.resent_at, i.updated_at), i.item_id")
        .param("before", ts(before), Types.TIMESTAMP_WITH_TIMEZONE)
        .withMaxRows(limit)
        .query(
            (rs, n) -> {
              Instant updated = rs.getObject("updated_at", OffsetDateTime.class).toInstant();
              OffsetDateTime resent = rs.getObject("resent_at", OffsetDateTime.class);
              Instant last =
                  resent != null && resent.toInstant().isAfter(updated)
                      ? resent.toInstant()
                      : updated;
              return new ItemSign(rs.getString("item_id"), rs.getString("job_id"), last);
            })
        .list();
  }

  /** Notes that an item was sent again at {@code at}. */
  public void markResent(String itemId, Instant at) {
    jdbc.sql(
            "update items set resent_at = :at, resends = resends + 1 where item_id = :id and"
                + " status in ('PENDING', 'RUNNING')")
        .param("at", ts(at), Types.TIMESTAMP_WITH_TIMEZONE)
        .param("id", itemId)
        .update();
  }

  /** How often an item was re-sent by the reconciler. */
  public int resends(String itemId) {
    return jdbc.sql("select resends from items where item_id = :id")
        .param("id", itemId)
        .query(Integer.class)
        .optional()
        .orElse(0);
  }

  private static OffsetDateTime ts(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
