package dev.spotbatch.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.spotbatch.dispatcher.config.TemplateTransactions;
import dev.spotbatch.dispatcher.cost.CostCalculator;
import dev.spotbatch.dispatcher.cost.PriceBook;
import dev.spotbatch.dispatcher.events.EventApplier;
import dev.spotbatch.dispatcher.events.Transactions;
import dev.spotbatch.dispatcher.fleet.DrainReports;
import dev.spotbatch.dispatcher.job.JobStore;
import dev.spotbatch.dispatcher.job.ManifestWriter;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemStarted;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.store.local.LocalObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Benchmark (e), issue 13 point 7: worker events applied per second by the dispatcher's {@link
 * EventApplier} on embedded PostgreSQL (zonky) and on H2, through a connection pool as in the app.
 * The stream is what 1,000 workers send: each item's {@code ItemStarted} then its {@code
 * ItemCompleted} (the next wave's starts interleaved with this wave's completions), with 5% of the
 * events delivered twice (at-least-once). Each round applies the whole stream to a fresh job, in
 * batches of the consumer's size, one {@code applyAll} per batch, and checks the job SUCCEEDED with
 * every item once. The baseline is the floor of recording each event once: the same number of rows
 * inserted into {@code job_usage} with one JDBC batch and one transaction per batch.
 */
final class EventApplyBenchmark {
  private static final int WORKERS = 1_000;

  private final int items;
  private final int rounds;
  private final List<Integer> batchSizes;

  EventApplyBenchmark(int items, int rounds, List<Integer> batchSizes) {
    this.items = items;
    this.rounds = rounds;
    this.batchSizes = batchSizes;
  }

  List<String> run() throws Exception {
    List<String> rows = new ArrayList<>();
    Path dir = Files.createTempDirectory("spotbatch-bench-events-");
    // -Dbench.events.databases=h2 (or postgresql) runs one of the two, e.g. under a profiler
    String databases = System.getProperty("bench.events.databases", "postgresql,h2");
    if (databases.contains("postgresql")) {
      rows.addAll(postgres(dir));
    }
    if (databases.contains("h2")) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:bench-events;DB_CLOSE_DELAY=-1");
      h2.setUser("sa");
      try (HikariDataSource pooledH2 = pooled(h2)) {
        migrate(pooledH2);
        rows.addAll(measure("H2 (in memory)", pooledH2, dir));
      }
    }
    return rows;
  }

  private List<String> postgres(Path dir) throws Exception {
    List<String> rows = new ArrayList<>();
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        HikariDataSource postgres = pooled(pg.getPostgresDatabase())) {
      migrate(postgres);
      System.out.println(
          "postgresql "
              + new JdbcTemplate(postgres).queryForObject("show server_version", String.class)
              + ", synchronous_commit="
              + new JdbcTemplate(postgres).queryForObject("show synchronous_commit", String.class)
              + " (zonky's default)");
      rows.addAll(measure("PostgreSQL 17 (zonky)", postgres, dir));
    }
    return rows;
  }

  private List<String> measure(String db, DataSource ds, Path dir) throws Exception {
    JobStore jobs = new JobStore(ds);
    LocalObjectStore store = new LocalObjectStore(List.of(dir));
    ManifestWriter manifests =
        new ManifestWriter(
            jobs, store, new CostCalculator(new PriceBook(List.of())), Clock.systemUTC());
    Transactions tx = new TemplateTransactions(new DataSourceTransactionManager(ds));
    EventApplier applier =
        new EventApplier(
            ds, manifests, tx, new SimpleMeterRegistry(), new DrainReports(), null, e -> {});
    List<String> rows = new ArrayList<>();
    int run = 0;
    for (int batch : batchSizes) {
      List<Double> spotbatch = new ArrayList<>();
      List<Double> bare = new ArrayList<>();
      for (int round = 0; round <= rounds; round++) { // round 0 warms up
        String jobId = "bench-" + (++run) + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<WorkerEvent> stream = prepare(ds, jobs, dir, jobId);
        long t0 = System.nanoTime();
        for (int from = 0; from < stream.size(); from += batch) {
          applier.applyAll(stream.subList(from, Math.min(stream.size(), from + batch)));
        }
        double s = stream.size() / ((System.nanoTime() - t0) / 1e9);
        String status =
            new JdbcTemplate(ds)
                .queryForObject("select status from jobs where id = ?", String.class, jobId);
        Integer succeeded =
            new JdbcTemplate(ds)
                .queryForObject(
                    "select count(*) from items where job_id = ? and status = 'SUCCEEDED'",
                    Integer.class,
                    jobId);
        if (!"SUCCEEDED".equals(status) || succeeded == null || succeeded != items) {
          throw new IllegalStateException(
              "job " + jobId + " is " + status + " with " + succeeded + " items succeeded");
        }
        double b = bareInserts(ds, stream.size(), batch);
        if (round > 0) {
          spotbatch.add(s);
          bare.add(b);
        }
        System.out.printf(
            Locale.ROOT,
            "%s batch %d round %d: applier %.0f events/s, bare inserts %.0f rows/s; load %s%n",
            db,
            batch,
            round,
            s,
            b,
            PlanAtScaleBenchmark.load());
      }
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < spotbatch.size(); i++) {
        ratios.add(spotbatch.get(i) / bare.get(i));
      }
      rows.add(
          String.format(
              Locale.ROOT,
              "| (e) worker events applied, %s, %d per batch (goal >= 5,000/s) | %d items x"
                  + " (started + completed) from %d workers, 5%% delivered twice, one job |"
                  + " bare usage-row inserts/s: %s | events/s: %s | ratio %s |",
              db,
              batch,
              items,
              WORKERS,
              Stats.list(bare),
              Stats.list(spotbatch),
              Stats.describe(ratios)));
    }
    return rows;
  }

  /** Inserts a running job with its items and returns the stream its workers would send. */
  private List<WorkerEvent> prepare(DataSource ds, JobStore jobs, Path dir, String jobId)
      throws Exception {
    String output = dir.resolve("out/" + jobId).toUri() + "/";
    Instant now = Instant.now();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into jobs (id, name, status, model, input_uri, input_format, text_field,"
                    + " id_field, output_uri, item_bytes, max_attempts, created_at, started_at)"
                    + " values (?, ?, 'RUNNING', 'all-minilm-l6-v2', ?, 'jsonl', 'text', 'id', ?,"
                    + " 1048576, 3, ?, ?)")) {
      ps.setString(1, jobId);
      ps.setString(2, jobId);
      ps.setString(3, "file:///bench/in.jsonl");
      ps.setString(4, output);
      ps.setObject(5, now.atOffset(ZoneOffset.UTC));
      ps.setObject(6, now.atOffset(ZoneOffset.UTC));
      ps.executeUpdate();
    }
    List<WorkItem> plan = new ArrayList<>(items);
    for (int i = 0; i < items; i++) {
      plan.add(
          new WorkItem(
              jobId,
              jobId + String.format(Locale.ROOT, "-%06d", i),
              i,
              "all-minilm-l6-v2",
              "file:///bench/in.jsonl",
              "in.jsonl",
              new ByteRange(i * 1000L, i * 1000L + 1000),
              InputFormat.JSONL,
              "text",
              "id",
              output,
              Attempts.NONE,
              3));
    }
    jobs.items().insertItems(plan, now);
    List<WorkerEvent> stream = new ArrayList<>();
    for (int wave = 0; wave * WORKERS < items + WORKERS; wave++) {
      for (int w = 0; w < WORKERS; w++) {
        int started = wave * WORKERS + w;
        int done = started - WORKERS;
        if (started < items) {
          stream.add(started(plan.get(started), "w" + w, now));
        }
        if (done >= 0 && done < items) {
          stream.add(completed(plan.get(done), "w" + w, now));
        }
      }
    }
    Random random = new Random(7);
    int duplicates = stream.size() / 20;
    for (int i = 0; i < duplicates; i++) {
      // a redelivery comes later than the original, never before it
      int original = random.nextInt(stream.size());
      int at = original + 1 + random.nextInt(stream.size() - original);
      stream.add(Math.min(at, stream.size()), stream.get(original));
    }
    return stream;
  }

  private static ItemStarted started(WorkItem item, String worker, Instant now) {
    return new ItemStarted(
        UUID.randomUUID().toString(),
        item.jobId(),
        item.itemId(),
        item.range(),
        Attempts.NONE,
        worker,
        InstanceFacts.local(worker), // one machine per worker, as on a real fleet
        now,
        now);
  }

  private static ItemCompleted completed(WorkItem item, String worker, Instant now) {
    return new ItemCompleted(
        UUID.randomUUID().toString(),
        item.jobId(),
        item.itemId(),
        item.range(),
        new PartRef(item.partPath(), 10, item.range()),
        null,
        Attempts.NONE,
        worker,
        InstanceFacts.local(worker),
        now,
        now.plusSeconds(20));
  }

  /** Rows/s of {@code count} usage rows, {@code batch} per JDBC batch and per transaction. */
  private static double bareInserts(DataSource ds, int count, int batch) throws Exception {
    String job = "bare-" + UUID.randomUUID();
    Timestamp at = Timestamp.from(Instant.now());
    long t0 = System.nanoTime();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into job_usage (event_id, job_id, item_id, worker_id, provider,"
                  + " instance_id, instance_type, region, zone, lifecycle, machine_seconds, at,"
                  + " records) values (?, ?, ?, 'w', 'local', 'i', 'local', 'local', 'local',"
                  + " 'ON_DEMAND', 20, ?, 10)")) {
        for (int i = 0; i < count; i++) {
          ps.setString(1, job + "-" + i);
          ps.setString(2, job);
          ps.setString(3, job + "-item-" + i);
          ps.setTimestamp(4, at);
          ps.addBatch();
          if ((i + 1) % batch == 0 || i == count - 1) {
            ps.executeBatch();
            c.commit();
          }
        }
      }
    }
    return count / ((System.nanoTime() - t0) / 1e9);
  }

  private static HikariDataSource pooled(DataSource ds) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(ds);
    config.setMaximumPoolSize(4);
    return new HikariDataSource(config);
  }

  private static void migrate(DataSource ds) {
    Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
  }
}
