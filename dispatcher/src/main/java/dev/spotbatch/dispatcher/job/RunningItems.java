package dev.spotbatch.dispatcher.job;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The items of the job store that are RUNNING, each with the machine (instance id) whose event last
 * touched it: who holds its lease, as far as the store knows. Read once at start-up to seed the
 * autoscaler's per-worker leases, which the dispatcher otherwise learns from events as they come.
 */
public final class RunningItems {
  private final JdbcClient jdbc;

  public RunningItems(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
  }

  /** Item id to instance id, for every RUNNING item of an unfinished job. */
  public Map<String, String> holders() {
    Map<String, String> out = new LinkedHashMap<>();
    jdbc.sql(
            "select i.item_id, u.instance_id from items i"
                + " join jobs j on j.id = i.job_id"
                + " join job_usage u on u.item_id = i.item_id"
                + " where i.status = 'RUNNING' and j.status in ('PENDING', 'RUNNING')"
                + " and u.at = (select max(v.at) from job_usage v where v.item_id = i.item_id)")
        .query(
            (rs, n) -> {
              out.put(rs.getString("item_id"), rs.getString("instance_id"));
              return null;
            })
        .list();
    return out;
  }
}
