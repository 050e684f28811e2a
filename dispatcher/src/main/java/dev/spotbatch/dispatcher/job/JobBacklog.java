package dev.spotbatch.dispatcher.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the unfinished (PENDING or RUNNING) jobs have left, read from the job store in two grouped
 * queries. Records are not counted at planning (items are byte ranges), so a job's remaining
 * records are its input bytes left times the records per byte of its committed parts; before a job
 * has a part, the ratio of a sample of its input's head ({@link RecordSampler}); without one, the
 * ratio over every committed part; before any, {@link #ASSUMED_BYTES_PER_RECORD}.
 */
public final class JobBacklog {
  /** Bytes per record assumed before any part was committed (a sentence or two of JSONL). */
  static final double ASSUMED_BYTES_PER_RECORD = 100;

  private static final String UNFINISHED = "('PENDING', 'RUNNING')";

  private final JdbcClient jdbc;
  private final RecordSampler sampler;

  /**
   * @param sampler estimates a job's bytes per record from its input until its parts tell
   */
  public JobBacklog(DataSource dataSource, RecordSampler sampler) {
    this.jdbc = JdbcClient.create(dataSource);
    this.sampler = sampler;
  }

  private record Left(
      String jobId, Instant deadline, int priority, long items, long bytes, String input) {}

  private record Done(long records, long bytes, long pendingBytesDone) {}

  /** Every unfinished job, oldest first. */
  public List<JobRemaining> unfinished() {
    return remaining(null);
  }

  /** One job, if it is unfinished. */
  public Optional<JobRemaining> of(String jobId) {
    return remaining(jobId).stream().findFirst();
  }

  /** When the oldest item waiting to be leased (PENDING) last changed; empty when none waits. */
  public Optional<Instant> oldestPendingSince() {
    return jdbc.sql(
            "select min(i.updated_at) as t from items i join jobs j on j.id = i.job_id"
                + " where i.status = 'PENDING' and j.status in "
                + UNFINISHED)
        .query((rs, n) -> Optional.ofNullable(JobRows.instant(rs, "t")))
        .single();
  }

  private List<JobRemaining> remaining(String jobId) {
    String only = jobId == null ? "" : " and j.id = :id";
    List<Left> left =
        jdbc.sql(
                "select j.id, j.deadline, j.priority, j.created_at,"
                    + " coalesce(sum(case when i.status in "
                    + UNFINISHED
                    + " then 1 else 0 end), 0) as items_left,"
                    + " coalesce(sum(case when i.status in "
                    + UNFINISHED
                    + " then i.range_end - i.range_start else 0 end), 0) as bytes_left,"
                    + " min(i.input_uri) as input"
                    + " from jobs j left join items i on i.job_id = j.id"
                    + " where j.status in "
                    + UNFINISHED
                    + only
                    + " group by j.id, j.deadline, j.priority, j.created_at"
                    + " order by j.created_at, j.id")
            .params(jobId == null ? Map.of() : Map.of("id", jobId))
            .query(
                (rs, n) ->
                    new Left(
                        rs.getString("id"),
                        JobRows.instant(rs, "deadline"),
                        rs.getInt("priority"),
                        rs.getLong("items_left"),
                        rs.getLong("bytes_left"),
                        rs.getString("input")))
            .list();
    if (left.isEmpty()) {
      return List.of();
    }
    Map<String, Done> done = new HashMap<>();
    record JobDone(String jobId, Done done) {}
    jdbc.sql(
            "select p.job_id, sum(p.records) as records,"
                + " sum(case when p.kind = 'DATA' then p.range_end - p.range_start else 0 end)"
                + " as bytes,"
                + " sum(case when p.kind = 'DATA' and i.status in "
                + UNFINISHED
                + " then p.range_end - p.range_start else 0 end) as pending_bytes"
                + " from parts p join jobs j on j.id = p.job_id"
                + " join items i on i.item_id = p.item_id"
                + " where j.status in "
                + UNFINISHED
                + (jobId == null ? "" : " and p.job_id = :id")
                + " group by p.job_id")
        .params(jobId == null ? Map.of() : Map.of("id", jobId))
        .query(
            (rs, n) ->
                new JobDone(
                    rs.getString("job_id"),
                    new Done(
                        rs.getLong("records"), rs.getLong("bytes"), rs.getLong("pending_bytes"))))
        .list()
        .forEach(r -> done.put(r.jobId(), r.done()));
    double fallback = done.isEmpty() ? bytesPerRecordOverall() : bytesPerRecord(done.values());
    List<JobRemaining> out = new ArrayList<>();
    for (Left l : left) {
      Done d = done.getOrDefault(l.jobId(), new Done(0, 0, 0));
      double perRecord =
          d.records() > 0 && d.bytes() > 0
              ? d.bytes() / (double) d.records()
              : sampled(l).orElse(fallback);
      // checkpoint parts of pending items cover bytes their continuations will not read again
      long bytes = Math.max(0, l.bytes() - d.pendingBytesDone());
      long records = l.items() == 0 ? 0 : Math.max(1, Math.round(bytes / perRecord));
      out.add(
          new JobRemaining(l.jobId(), l.deadline(), l.priority(), l.items(), records, d.records()));
    }
    return out;
  }

  /** The job's own input, sampled, while it has no parts of its own (and items left to size). */
  private OptionalDouble sampled(Left l) {
    if (l.input() == null || l.items() == 0) {
      return OptionalDouble.empty();
    }
    OptionalDouble s = sampler.bytesPerRecord(l.input());
    return s.isPresent() && s.getAsDouble() > 0 ? s : OptionalDouble.empty();
  }

  private static double bytesPerRecord(Iterable<Done> done) {
    long records = 0;
    long bytes = 0;
    for (Done d : done) {
      records += d.records();
      bytes += d.bytes();
    }
    return records > 0 && bytes > 0 ? bytes / (double) records : ASSUMED_BYTES_PER_RECORD;
  }

  private double bytesPerRecordOverall() {
    List<Done> all =
        jdbc.sql(
                "select coalesce(sum(records), 0) as records, coalesce(sum(case when kind = 'DATA'"
                    + " then range_end - range_start else 0 end), 0) as bytes from parts")
            .query((rs, n) -> new Done(rs.getLong("records"), rs.getLong("bytes"), 0))
            .list();
    return bytesPerRecord(all);
  }
}
