package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.dispatcher.job.JobRows;
import dev.spotbatch.dispatcher.job.UsageRow;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Machine sessions and the usage rows cost attribution reads ({@code machine_sessions}, {@code
 * job_usage}; schema in {@code db/migration/V5}). Writes are safe to repeat.
 */
public class CostStore {
  private final JdbcClient jdbc;

  public CostStore(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
  }

  /**
   * Records a machine's session, or updates it: a later report wins, an ended session never goes
   * back to running, and a {@code STOPPED} report (the worker's own) wins over a {@code LOST} one.
   */
  public void upsertSession(MachineSession s) {
    Optional<MachineSession> old = session(s.instanceId());
    if (old.isEmpty()) {
      InstanceFacts i = s.instance();
      jdbc.sql(
              "insert into machine_sessions (instance_id, worker_id, provider, instance_type,"
                  + " region, zone, lifecycle, pool, started_at, ended_at, ended, interruption)"
                  + " values (:id, :w, :p, :t, :r, :z, :l, :pool, :s, :e, :end, :int)")
          .param("id", s.instanceId())
          .param("w", s.workerId() == null ? s.instanceId() : s.workerId())
          .param("p", i.provider())
          .param("t", i.instanceType())
          .param("r", i.region())
          .param("z", i.zone())
          .param("l", i.lifecycle().name())
          .param("pool", s.pool(), Types.VARCHAR)
          .param("s", JobRows.ts(s.start()), Types.TIMESTAMP_WITH_TIMEZONE)
          .param("e", JobRows.ts(s.end()), Types.TIMESTAMP_WITH_TIMEZONE)
          .param("end", s.ended().name())
          .param("int", s.interruption(), Types.VARCHAR)
          .update();
      return;
    }
    MachineSession o = old.get();
    if (o.ended() == SessionEnd.STOPPED
        || (o.ended() == SessionEnd.LOST && s.ended() == SessionEnd.RUNNING)) {
      // the worker's own report is final; a running sighting never revives an ended machine
      if (o.interruption() == null && s.interruption() != null) {
        setInterruption(s.instanceId(), s.interruption());
      }
      return;
    }
    Instant start = s.start().isBefore(o.start()) ? s.start() : o.start();
    jdbc.sql(
            "update machine_sessions set started_at = :s, ended_at = :e, ended = :end,"
                + " interruption = coalesce(:int, interruption), pool = coalesce(:pool, pool)"
                + " where instance_id = :id")
        .param("id", s.instanceId())
        .param("s", JobRows.ts(start), Types.TIMESTAMP_WITH_TIMEZONE)
        .param("e", JobRows.ts(s.end()), Types.TIMESTAMP_WITH_TIMEZONE)
        .param("end", s.ended().name())
        .param("int", s.interruption(), Types.VARCHAR)
        .param("pool", s.pool(), Types.VARCHAR)
        .update();
  }

  /** Marks what interrupted a machine (a drain's notice kind), keeping the first one. */
  public void setInterruption(String instanceId, String kind) {
    jdbc.sql(
            "update machine_sessions set interruption = :k where instance_id = :id"
                + " and interruption is null")
        .param("k", kind)
        .param("id", instanceId)
        .update();
  }

  public Optional<MachineSession> session(String instanceId) {
    return jdbc.sql("select * from machine_sessions where instance_id = :id")
        .param("id", instanceId)
        .query(CostStore::session)
        .optional();
  }

  /** Sessions that overlap {@code [from, to)}; {@code from} null: from the beginning. */
  public List<MachineSession> sessions(Instant from, Instant to) {
    return jdbc.sql(
            "select * from machine_sessions where started_at < :to"
                + " and (ended_at is null or ended_at > :from)"
                + " order by started_at, instance_id")
        .param("to", JobRows.ts(to), Types.TIMESTAMP_WITH_TIMEZONE)
        .param(
            "from", JobRows.ts(from == null ? Instant.EPOCH : from), Types.TIMESTAMP_WITH_TIMEZONE)
        .query(CostStore::session)
        .list();
  }

  /** Sessions of these machines. */
  public List<MachineSession> sessionsOf(Collection<String> instanceIds) {
    if (instanceIds.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("select * from machine_sessions where instance_id in (:ids)")
        .param("ids", List.copyOf(instanceIds))
        .query(CostStore::session)
        .list();
  }

  /** True when the machine reported work on the item that ended at or after {@code since}. */
  public boolean reported(String instanceId, String itemId, Instant since) {
    Long n =
        jdbc.sql(
                "select count(*) from job_usage where instance_id = :i and item_id = :item"
                    + " and at >= :since")
            .param("i", instanceId)
            .param("item", itemId)
            .param("since", JobRows.ts(since), Types.TIMESTAMP_WITH_TIMEZONE)
            .query(Long.class)
            .single();
    return n != null && n > 0;
  }

  /** Usage rows that end after {@code from} and start before {@code to} (ends within a day). */
  public List<UsageRow> usage(Instant from, Instant to) {
    List<UsageRow> rows = new ArrayList<>();
    jdbc
        .sql("select * from job_usage where at < :until and at > :from" + " order by at, event_id")
        .param("until", JobRows.ts(to.plusSeconds(86_400)), Types.TIMESTAMP_WITH_TIMEZONE)
        .param(
            "from", JobRows.ts(from == null ? Instant.EPOCH : from), Types.TIMESTAMP_WITH_TIMEZONE)
        .query(JobRows::usage)
        .list()
        .stream()
        .filter(r -> r.startedAt().isBefore(to))
        .forEach(rows::add);
    return rows;
  }

  /** The records committed in {@code [from, to)} (useful work only). */
  public long recordsBetween(Instant from, Instant to) {
    Long n =
        jdbc.sql(
                "select coalesce(sum(records), 0) from job_usage where waste is null"
                    + " and at < :to and at >= :from")
            .param("to", JobRows.ts(to), Types.TIMESTAMP_WITH_TIMEZONE)
            .param(
                "from",
                JobRows.ts(from == null ? Instant.EPOCH : from),
                Types.TIMESTAMP_WITH_TIMEZONE)
            .query(Long.class)
            .single();
    return n == null ? 0 : n;
  }

  private static MachineSession session(ResultSet rs, int n) throws SQLException {
    return new MachineSession(
        rs.getString("instance_id"),
        rs.getString("worker_id"),
        new InstanceFacts(
            rs.getString("provider"),
            rs.getString("instance_id"),
            rs.getString("instance_type"),
            rs.getString("region"),
            rs.getString("zone"),
            Lifecycle.valueOf(rs.getString("lifecycle"))),
        rs.getString("pool"),
        JobRows.instant(rs, "started_at"),
        JobRows.instant(rs, "ended_at"),
        SessionEnd.valueOf(rs.getString("ended")),
        rs.getString("interruption"));
  }
}
