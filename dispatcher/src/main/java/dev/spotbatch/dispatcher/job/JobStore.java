package dev.spotbatch.dispatcher.job;

import dev.spotbatch.codec.Json;
import dev.spotbatch.task.TaskSpec;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Jobs and their tasks in a relational database (H2 or PostgreSQL; the schema is in {@code
 * db/migration}); their items and usage are in the same database, behind {@link #items()} and
 * {@link #usage()}. Conditional updates make every state change safe to repeat: a call that would
 * move a final job returns false and changes nothing.
 */
public class JobStore {
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final ItemStates itemStates;
  private final ItemStore items;
  private final UsageStore usage;

  public JobStore(DataSource dataSource) {
    JdbcTemplate template = new JdbcTemplate(dataSource);
    this.jdbc = JdbcClient.create(template);
    this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.itemStates = new ItemStates(jdbc);
    this.items = new ItemStore(jdbc, template, tx);
    this.usage = new UsageStore(jdbc);
  }

  /** The jobs' items, their parts and failures. */
  public ItemStore items() {
    return items;
  }

  /** The work applied events report, and the cost queries over it. */
  public UsageStore usage() {
    return usage;
  }

  /** Running, released and cancelled items (the moves the worker's progress events make). */
  public ItemStates itemStates() {
    return itemStates;
  }

  // ---- jobs

  public void insertJob(Job job) {
    jdbc.sql(
            "insert into jobs (id, name, status, model, input_uri, input_format, text_field,"
                + " id_field, output_uri, item_bytes, max_attempts, reason, manifest_uri,"
                + " created_at, started_at, finished_at, deadline, priority, output_format)"
                + " values (:id, :name, :status, :model, :input, :format, :text, :idf, :output,"
                + " :bytes, :attempts, :reason, :manifest, :created, :started, :finished,"
                + " :deadline, :priority, :outputFormat)")
        .param("id", job.id())
        .param("name", job.name())
        .param("status", job.status().name())
        .param("model", job.model())
        .param("input", job.inputUri())
        .param("format", job.inputFormat())
        .param("text", job.textField())
        .param("idf", job.idField())
        .param("output", job.outputUri())
        .param("bytes", job.itemBytes())
        .param("attempts", job.maxAttempts())
        .param("reason", job.reason(), Types.VARCHAR)
        .param("manifest", job.manifestUri(), Types.VARCHAR)
        .param("created", JobRows.ts(job.createdAt()), Types.TIMESTAMP_WITH_TIMEZONE)
        .param("started", JobRows.ts(job.startedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
        .param("finished", JobRows.ts(job.finishedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
        .param("deadline", JobRows.ts(job.deadline()), Types.TIMESTAMP_WITH_TIMEZONE)
        .param("priority", job.priority())
        .param("outputFormat", job.outputFormat().id())
        .update();
  }

  /** Inserts a job with its tasks, in one transaction (the planner reads both). */
  public void insertJob(Job job, TaskSpec task) {
    tx.executeWithoutResult(
        status -> {
          insertJob(job);
          jdbc.sql(
                  "insert into job_tasks (job_id, model_uri, model_digest, spec) values (:id,"
                      + " :uri, :digest, :spec)")
              .param("id", job.id())
              .param("uri", task.model() == null ? null : task.model().uri(), Types.VARCHAR)
              .param("digest", task.model() == null ? null : task.model().digest(), Types.VARCHAR)
              .param("spec", Json.mapper().writeValueAsString(task))
              .update();
        });
  }

  /** The job's tasks, or empty for a job of the original shape (embed with its model). */
  public Optional<TaskSpec> taskSpec(String jobId) {
    return jdbc.sql("select spec from job_tasks where job_id = :id")
        .param("id", jobId)
        .query(String.class)
        .optional()
        .map(json -> Json.mapper().readValue(json, TaskSpec.class));
  }

  public Optional<Job> findJob(String id) {
    return jdbc.sql("select * from jobs where id = :id")
        .param("id", id)
        .query(JobRows::job)
        .optional();
  }

  /** Jobs newest first, optionally only those in one status. */
  public List<Job> listJobs(JobStatus status, int limit) {
    if (status == null) {
      return jdbc.sql("select * from jobs order by created_at desc, id desc")
          .withMaxRows(limit)
          .query(JobRows::job)
          .list();
    }
    return jdbc.sql("select * from jobs where status = :s order by created_at desc, id desc")
        .param("s", status.name())
        .withMaxRows(limit)
        .query(JobRows::job)
        .list();
  }

  public long countJobs(JobStatus status) {
    return jdbc.sql("select count(*) from jobs where status = :s")
        .param("s", status.name())
        .query(Long.class)
        .single();
  }

  /** Jobs in a status, oldest first (to resume planning after a restart). */
  public List<Job> jobsIn(JobStatus status) {
    return jdbc.sql("select * from jobs where status = :s order by created_at, id")
        .param("s", status.name())
        .query(JobRows::job)
        .list();
  }

  /** PENDING -> RUNNING. */
  public boolean markStarted(String jobId, Instant at) {
    return jdbc.sql(
                "update jobs set status = 'RUNNING', started_at = :at where id = :id and status ="
                    + " 'PENDING'")
            .param("at", JobRows.ts(at), Types.TIMESTAMP_WITH_TIMEZONE)
            .param("id", jobId)
            .update()
        == 1;
  }

  /** PENDING or RUNNING -> a final status. */
  public boolean finish(
      String jobId, JobStatus status, String reason, String manifestUri, Instant at) {
    if (!status.isFinal()) {
      throw new IllegalArgumentException(status + " is not final");
    }
    return jdbc.sql(
                "update jobs set status = :s, reason = :r, manifest_uri = :m, finished_at = :at"
                    + " where id = :id and status in ('PENDING', 'RUNNING')")
            .param("s", status.name())
            .param("r", JobRows.truncate(reason), Types.VARCHAR)
            .param("m", manifestUri, Types.VARCHAR)
            .param("at", JobRows.ts(at), Types.TIMESTAMP_WITH_TIMEZONE)
            .param("id", jobId)
            .update()
        == 1;
  }

  /** FAILED -> RUNNING for a retry: clears the reason, manifest and finish time. */
  public boolean reopen(String jobId) {
    return jdbc.sql(
                "update jobs set status = 'RUNNING', reason = null, manifest_uri = null,"
                    + " finished_at = null where id = :id and status = 'FAILED'")
            .param("id", jobId)
            .update()
        == 1;
  }

  /** FAILED -> PENDING, to plan the job again (it failed before its items were queued). */
  public boolean reopenForPlanning(String jobId) {
    return jdbc.sql(
                "update jobs set status = 'PENDING', reason = null, manifest_uri = null,"
                    + " finished_at = null where id = :id and status = 'FAILED'")
            .param("id", jobId)
            .update()
        == 1;
  }
}
