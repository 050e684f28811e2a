package dev.spotbatch.dispatcher.job;

import dev.spotbatch.model.InstanceFacts;
import java.sql.Types;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The work each applied event reports ({@link UsageRow}, one row per event; its id is also the key
 * that makes applying an event idempotent), and the queries the cost of a job is computed from, in
 * {@link JobStore}'s database.
 */
public final class UsageStore {
  private final JdbcClient jdbc;

  UsageStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public boolean eventApplied(String eventId) {
    return jdbc.sql("select count(*) from job_usage where event_id = :e")
            .param("e", eventId)
            .query(Long.class)
            .single()
        > 0;
  }

  public void insertUsage(UsageRow u) {
    InstanceFacts i = u.instance();
    jdbc.sql(
            "insert into job_usage (event_id, job_id, item_id, worker_id, provider, instance_id,"
                + " instance_type, region, zone, lifecycle, machine_seconds, at, records, waste) values"
                + " (:e, :j, :i, :w, :p, :iid, :it, :r, :z, :l, :s, :at, :n, :waste)")
        .param("e", u.eventId())
        .param("j", u.jobId())
        .param("i", u.itemId())
        .param("w", u.workerId())
        .param("p", i.provider())
        .param("iid", i.instanceId())
        .param("it", i.instanceType())
        .param("r", i.region())
        .param("z", i.zone())
        .param("l", i.lifecycle().name())
        .param("s", u.machineSeconds())
        .param("at", JobRows.ts(u.at()), Types.TIMESTAMP_WITH_TIMEZONE)
        .param("n", u.records())
        .param("waste", u.waste() == null ? null : u.waste().name(), Types.VARCHAR)
        .update();
  }

  public List<UsageRow> usage(String jobId) {
    return jdbc.sql("select * from job_usage where job_id = :j order by at, event_id")
        .param("j", jobId)
        .query(JobRows::usage)
        .list();
  }

  /** Every usage row of the machines job {@code jobId} ran on (of every job): its split. */
  public List<UsageRow> usageOnMachinesOf(String jobId) {
    return jdbc.sql(
            // a join, not "instance_id in (subquery)": H2 evaluated that per row, which made
            // writing a manifest quadratic in the usage rows of the job's machines
            "select u.* from job_usage u join (select distinct instance_id from job_usage"
                + " where job_id = :j) m on u.instance_id = m.instance_id"
                + " order by u.at, u.event_id")
        .param("j", jobId)
        .query(JobRows::usage)
        .list();
  }

  /**
   * How often a job's work was interrupted: its items' interruption counts, plus leases lost with
   * their machine (abandoned in a drain, or on a machine that vanished).
   */
  public long interruptions(String jobId) {
    Long n =
        jdbc.sql("select coalesce(sum(interruptions), 0) from items where job_id = :j")
            .param("j", jobId)
            .query(Long.class)
            .single();
    Long lost =
        jdbc.sql(
                "select count(*) from job_usage where job_id = :j"
                    + " and waste in ('ABANDONED', 'KILLED')")
            .param("j", jobId)
            .query(Long.class)
            .single();
    return (n == null ? 0 : n) + (lost == null ? 0 : lost);
  }
}
