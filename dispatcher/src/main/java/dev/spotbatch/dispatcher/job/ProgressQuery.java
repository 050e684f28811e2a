package dev.spotbatch.dispatcher.job;

import dev.spotbatch.model.ByteRange;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A job's {@link JobProgress} in a few aggregate queries, reading a bounded number of rows whatever
 * the job's size (the job view is polled). The exactly-once rule of {@link PartTiling} is applied
 * in SQL to the common case, a succeeded item with one data part and at most one error part, each
 * covering the item's whole range (the tiling is then that part); only the other succeeded items
 * (checkpointed, overlapping or duplicated parts) are read with their parts and tiled in Java.
 * Succeeded items without any part are not tiled (counted as running), as {@link PartTiling} says.
 */
final class ProgressQuery {
  private static final int IDS_PER_QUERY = 1000;

  /** Per succeeded item of the job that has parts: how many and of what kind, and their records. */
  private static final String PARTS_PER_SUCCEEDED_ITEM =
      " from parts p join items i on i.item_id = p.item_id"
          + " where p.job_id = :id and i.status = 'SUCCEEDED' group by p.item_id";

  private static final String DATA_PARTS = "sum(case when p.kind = 'DATA' then 1 else 0 end)";
  private static final String ERROR_PARTS = "sum(case when p.kind = 'ERROR' then 1 else 0 end)";
  private static final String ALL_WHOLE =
      "min(case when p.range_start = i.range_start and p.range_end = i.range_end then 1 else 0"
          + " end)";

  private final JdbcClient jdbc;

  ProgressQuery(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  JobProgress of(String jobId) {
    long[] c = new long[ItemStatus.values().length];
    jdbc.sql("select status, count(*) as n from items where job_id = :id group by status")
        .param("id", jobId)
        .query(
            rs -> {
              c[ItemStatus.valueOf(rs.getString("status")).ordinal()] = rs.getLong("n");
            });
    long succeededItems = c[ItemStatus.SUCCEEDED.ordinal()];
    long untiled = 0;
    long ok = 0;
    long bad = 0;
    if (succeededItems > 0) {
      Simple simple = simple(jobId);
      ok = simple.dataRecords();
      bad = simple.errorRecords();
      untiled = succeededItems - simple.withParts();
      if (simple.withParts() > simple.items()) {
        SelectedParts other = otherItems(jobId);
        untiled += other.untiled().size();
        ok += other.data().stream().mapToLong(PartRow::records).sum();
        bad += other.errors().stream().mapToLong(PartRow::records).sum();
      }
    }
    long pending = c[ItemStatus.PENDING.ordinal()];
    long running = c[ItemStatus.RUNNING.ordinal()] + untiled;
    long succeeded = succeededItems - untiled;
    long failed = c[ItemStatus.FAILED.ordinal()];
    long cancelled = c[ItemStatus.CANCELLED.ordinal()];
    return new JobProgress(
        new ItemCounts(
            pending + running + succeeded + failed + cancelled,
            pending,
            running,
            succeeded,
            failed,
            cancelled),
        new RecordCounts(ok, bad));
  }

  /**
   * @param withParts succeeded items with at least one part
   * @param items of those, the simple ones (one whole-range data part, at most one error part)
   */
  private record Simple(long withParts, long items, long dataRecords, long errorRecords) {}

  private Simple simple(String jobId) {
    String isSimple = "t.data_parts = 1 and t.error_parts <= 1 and t.all_whole = 1";
    return jdbc.sql(
            "select count(*) as with_parts,"
                + " coalesce(sum(case when "
                + isSimple
                + " then 1 else 0 end), 0) as simple_items,"
                + " coalesce(sum(case when "
                + isSimple
                + " then t.data_records else 0 end), 0) as data_records,"
                + " coalesce(sum(case when "
                + isSimple
                + " then t.error_records else 0 end), 0) as error_records"
                + " from (select p.item_id, "
                + DATA_PARTS
                + " as data_parts, "
                + ERROR_PARTS
                + " as error_parts, "
                + ALL_WHOLE
                + " as all_whole,"
                + " sum(case when p.kind = 'DATA' then p.records else 0 end) as data_records,"
                + " sum(case when p.kind = 'ERROR' then p.records else 0 end) as error_records"
                + PARTS_PER_SUCCEEDED_ITEM
                + ") t")
        .param("id", jobId)
        .query(
            (rs, n) ->
                new Simple(
                    rs.getLong("with_parts"),
                    rs.getLong("simple_items"),
                    rs.getLong("data_records"),
                    rs.getLong("error_records")))
        .single();
  }

  /** The succeeded items with parts that are not simple, tiled by {@link PartTiling}. */
  private SelectedParts otherItems(String jobId) {
    List<String> ids =
        jdbc.sql(
                "select p.item_id"
                    + PARTS_PER_SUCCEEDED_ITEM
                    + " having not ("
                    + DATA_PARTS
                    + " = 1 and "
                    + ERROR_PARTS
                    + " <= 1 and "
                    + ALL_WHOLE
                    + " = 1)")
            .param("id", jobId)
            .query(String.class)
            .list();
    List<ItemRow> items = new ArrayList<>(ids.size());
    List<PartRow> parts = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
      List<String> some = ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY));
      items.addAll(
          jdbc.sql("select * from items where item_id in (:ids) and status = 'SUCCEEDED'")
              .param("ids", some)
              .query(JobRows::item)
              .list());
      parts.addAll(
          jdbc.sql("select * from parts where job_id = :id and item_id in (:ids)")
              .param("id", jobId)
              .param("ids", some)
              .query(ProgressQuery::part)
              .list());
    }
    parts.sort(Comparator.comparing(PartRow::path)); // as ItemStore#parts reads them
    return PartTiling.select(items, parts);
  }

  static PartRow part(ResultSet rs, int n) throws SQLException {
    return new PartRow(
        rs.getString("job_id"),
        rs.getString("path"),
        rs.getString("item_id"),
        PartKind.valueOf(rs.getString("kind")),
        rs.getLong("records"),
        new ByteRange(rs.getLong("range_start"), rs.getLong("range_end")));
  }
}
