package dev.spotbatch.dispatcher.config;

import dev.spotbatch.boot.CircuitBreakerMetrics;
import dev.spotbatch.dispatcher.cost.CostCalculator;
import dev.spotbatch.dispatcher.cost.MachineLedger;
import dev.spotbatch.dispatcher.events.EventApplier;
import dev.spotbatch.dispatcher.events.EventConsumer;
import dev.spotbatch.dispatcher.events.Transactions;
import dev.spotbatch.dispatcher.fleet.DrainReports;
import dev.spotbatch.dispatcher.fleet.Throughput;
import dev.spotbatch.dispatcher.fleet.WorkerLeases;
import dev.spotbatch.dispatcher.job.JobBacklog;
import dev.spotbatch.dispatcher.job.JobEtas;
import dev.spotbatch.dispatcher.job.JobLimits;
import dev.spotbatch.dispatcher.job.JobPlanner;
import dev.spotbatch.dispatcher.job.JobService;
import dev.spotbatch.dispatcher.job.JobStatus;
import dev.spotbatch.dispatcher.job.JobStore;
import dev.spotbatch.dispatcher.job.ManifestWriter;
import dev.spotbatch.dispatcher.job.ModelLocationPolicy;
import dev.spotbatch.dispatcher.job.ObjectHeadSampler;
import dev.spotbatch.dispatcher.job.RunningItems;
import dev.spotbatch.dispatcher.metrics.BacklogMetrics;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.WorkSubmitter;
import dev.spotbatch.resilience.Backoff;
import dev.spotbatch.resilience.Sleeper;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StorageRoots;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** Wires the plain-Java dispatcher core. */
@Configuration(proxyBeanMethods = false)
public class DispatcherConfig {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  JobStore jobStore(DataSource dataSource) {
    return new JobStore(dataSource);
  }

  @Bean
  ManifestWriter manifestWriter(
      JobStore jobs, ObjectStore store, CostCalculator costs, Clock clock) {
    return new ManifestWriter(jobs, store, costs, clock);
  }

  @Bean(destroyMethod = "shutdown")
  ThreadPoolExecutor plannerExecutor(SpotbatchProperties props) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        props.planner().threads(),
        props.planner().threads(),
        60,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(props.planner().backlog()),
        r -> {
          Thread t = new Thread(r, "spotbatch-planner-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  @Bean
  JobPlanner jobPlanner(
      JobStore jobs,
      ObjectStore store,
      WorkSubmitter queue,
      ManifestWriter manifests,
      ThreadPoolExecutor plannerExecutor,
      Clock clock,
      MeterRegistry meters) {
    return new JobPlanner(jobs, store, queue, manifests, plannerExecutor, clock, meters);
  }

  @Bean
  Supplier<String> jobIds(Clock clock) {
    SecureRandom random = new SecureRandom();
    return () -> {
      String time = Long.toString(clock.millis(), 36);
      String rnd = Integer.toString(random.nextInt(36 * 36 * 36 * 36), 36);
      return ("j" + time + "0000".substring(rnd.length()) + rnd).toLowerCase(Locale.ROOT);
    };
  }

  @Bean
  JobService jobService(
      JobStore jobs,
      JobPlanner planner,
      ManifestWriter manifests,
      ObjectStore store,
      WorkSubmitter queue,
      SpotbatchProperties props,
      CostCalculator costs,
      Clock clock,
      Supplier<String> jobIds,
      MeterRegistry meters,
      ModelLocationProperties models,
      JobBacklog backlog,
      Throughput throughput) {
    StorageRoots storage = StorageRoots.of("spotbatch.storage.allowed-roots", props.allowedRoots());
    StorageRoots modelRoots =
        models.roots().isEmpty()
            ? storage
            : StorageRoots.of("spotbatch.model-locations.roots", models.roots());
    return new JobService(
        jobs,
        planner,
        manifests,
        store,
        queue,
        storage,
        JobLimits.defaults(props.models(), props.stagingUri()),
        costs,
        clock,
        jobIds,
        meters,
        new ModelLocationPolicy(modelRoots, models.maxSize().toBytes()),
        new JobEtas(backlog, throughput, clock));
  }

  @Bean
  Transactions transactions(PlatformTransactionManager tm) {
    return new TemplateTransactions(tm);
  }

  /** Workers' drain reports; the event applier feeds it, {@code GET /api/v1/fleet} reads it. */
  @Bean
  DrainReports drainReports() {
    return new DrainReports();
  }

  /** Records/s per worker, pool and job, from the applied item events (ETA, autoscaler). */
  @Bean
  Throughput throughput(Clock clock) {
    return new Throughput(clock, Duration.ofMinutes(2));
  }

  /**
   * Which instance holds which item, from every consumed event, seeded with the items running at
   * start-up (for providers whose workers report no leases: AWS).
   */
  @Bean
  WorkerLeases workerLeases(DataSource dataSource, Clock clock) {
    // an hour: far past the time a late or redelivered start can still arrive after its lease ended
    return new WorkerLeases(clock, Duration.ofHours(1), new RunningItems(dataSource)::holders);
  }

  @Bean
  JobBacklog jobBacklog(DataSource dataSource, ObjectStore store) {
    // 64 KiB: hundreds of typical records in one ranged GET per job input, read once
    return new JobBacklog(dataSource, new ObjectHeadSampler(store, 64 * 1024));
  }

  @Bean
  EventApplier eventApplier(
      DataSource dataSource,
      ManifestWriter manifests,
      Transactions tx,
      MeterRegistry meters,
      DrainReports drains,
      MachineLedger machines,
      Throughput throughput) {
    return new EventApplier(
        dataSource, manifests, tx, meters, drains, machines, throughput::record);
  }

  @Bean
  EventConsumer eventConsumer(
      EventQueue events,
      EventApplier applier,
      SpotbatchProperties props,
      Clock clock,
      MeterRegistry meters,
      WorkerLeases leases) {
    SpotbatchProperties.Events e = props.events();
    return new EventConsumer(
        events,
        applier,
        Backoff.exponential(e.backoffInitial(), e.backoffMax()),
        Sleeper.system(),
        clock,
        e.batchSize(),
        e.pollWait(),
        meters,
        leases::observe);
  }

  /** Starts the consumer with the context and stops it (cleanly) before the queues close. */
  @Bean
  SmartLifecycle eventConsumerLifecycle(EventConsumer consumer) {
    return new SmartLifecycle() {
      @Override
      public void start() {
        consumer.start();
      }

      @Override
      public void stop() {
        consumer.stop();
      }

      @Override
      public boolean isRunning() {
        return consumer.isRunning();
      }
    };
  }

  /** Jobs left PENDING by a previous run are planned again; finished RUNNING jobs completed. */
  @Bean
  ApplicationRunner resumeJobs(JobService jobs) {
    return args -> jobs.resumePending();
  }

  /** Queue depth and the oldest unfinished item's age (deploy/monitoring reads them). */
  @Bean
  BacklogMetrics backlogMetrics(
      WorkSubmitter queue, JobStore jobs, Clock clock, MeterRegistry meters) {
    CircuitBreakerMetrics.register(meters);
    return new BacklogMetrics(
            queue::stats, jobs.items()::oldestUnfinishedItemSince, Duration.ofSeconds(10), clock)
        .register(meters);
  }

  @Bean
  Object jobStatusGauges(JobStore jobs, MeterRegistry meters) {
    for (JobStatus s : JobStatus.values()) {
      Gauge.builder("spotbatch.jobs", jobs, j -> j.countJobs(s))
          .tag("status", s.name().toLowerCase(Locale.ROOT))
          .description("jobs by status")
          .register(meters);
    }
    return new Object();
  }
}
