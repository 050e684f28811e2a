package dev.spotbatch.dispatcher.job;

import dev.spotbatch.dispatcher.cost.WasteKind;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.OutputFormat;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** How {@link JobStore}'s rows map to records, and how its columns hold times and long texts. */
public final class JobRows {
  private static final int MAX_TEXT = 4000;

  private JobRows() {}

  static Job job(ResultSet rs, int n) throws SQLException {
    return new Job(
        rs.getString("id"),
        rs.getString("name"),
        JobStatus.valueOf(rs.getString("status")),
        rs.getString("model"),
        rs.getString("input_uri"),
        rs.getString("input_format"),
        rs.getString("text_field"),
        rs.getString("id_field"),
        rs.getString("output_uri"),
        rs.getLong("item_bytes"),
        rs.getInt("max_attempts"),
        rs.getString("reason"),
        rs.getString("manifest_uri"),
        instant(rs, "created_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        instant(rs, "deadline"),
        rs.getInt("priority"),
        OutputFormat.of(rs.getString("output_format")));
  }

  static ItemRow item(ResultSet rs, int n) throws SQLException {
    return new ItemRow(
        rs.getString("item_id"),
        rs.getString("job_id"),
        rs.getInt("idx"),
        rs.getString("input_uri"),
        rs.getString("input_name"),
        new ByteRange(rs.getLong("range_start"), rs.getLong("range_end")),
        ItemStatus.valueOf(rs.getString("status")),
        rs.getInt("failures"),
        rs.getInt("interruptions"),
        rs.getString("last_error"));
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  public static OffsetDateTime ts(Instant at) {
    return at == null ? null : at.atOffset(ZoneOffset.UTC);
  }

  /** Text cut to what a reason or error column holds. */
  public static String truncate(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
  }

  /** A {@code job_usage} row (also read by the cost store). */
  public static UsageRow usage(ResultSet rs, int n) throws SQLException {
    String waste = rs.getString("waste");
    return new UsageRow(
        rs.getString("event_id"),
        rs.getString("job_id"),
        rs.getString("item_id"),
        rs.getString("worker_id"),
        new InstanceFacts(
            rs.getString("provider"),
            rs.getString("instance_id"),
            rs.getString("instance_type"),
            rs.getString("region"),
            rs.getString("zone"),
            Lifecycle.valueOf(rs.getString("lifecycle"))),
        rs.getDouble("machine_seconds"),
        instant(rs, "at"),
        rs.getLong("records"),
        waste == null ? null : WasteKind.valueOf(waste));
  }
}
