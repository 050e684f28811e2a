package dev.spotbatch.dispatcher;

import dev.spotbatch.dispatcher.config.TemplateTransactions;
import dev.spotbatch.dispatcher.cost.CostCalculator;
import dev.spotbatch.dispatcher.cost.Price;
import dev.spotbatch.dispatcher.cost.PriceBook;
import dev.spotbatch.dispatcher.events.EventApplier;
import dev.spotbatch.dispatcher.events.Transactions;
import dev.spotbatch.dispatcher.fleet.DrainReports;
import dev.spotbatch.dispatcher.job.JobEtas;
import dev.spotbatch.dispatcher.job.JobLimits;
import dev.spotbatch.dispatcher.job.JobPlanner;
import dev.spotbatch.dispatcher.job.JobService;
import dev.spotbatch.dispatcher.job.JobStore;
import dev.spotbatch.dispatcher.job.JobSubmission;
import dev.spotbatch.dispatcher.job.ManifestWriter;
import dev.spotbatch.dispatcher.job.ModelLocationPolicy;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.queue.memory.InMemoryWorkQueue;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.store.local.LocalObjectStore;
import dev.spotbatch.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The dispatcher core wired by hand for tests: a database, a local object store on a temp dir, the
 * in-memory work queue, a mutable clock and planning on the calling thread.
 */
public final class Fixture {
  public final Path root;
  public final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  public final LocalObjectStore store;
  public final InMemoryWorkQueue queue = new InMemoryWorkQueue(clock, 10);
  public final JobStore jobs;
  public final CostCalculator costs;
  public final ManifestWriter manifests;
  public final JobPlanner planner;
  public final JobService service;
  public final EventApplier applier;
  public final DataSource db;
  private final AtomicInteger ids = new AtomicInteger();

  public Fixture(Path root) {
    this(root, Databases.h2());
  }

  public Fixture(Path root, DataSource ds) {
    this(root, ds, UnaryOperator.identity());
  }

  /**
   * A fixture whose dispatcher sees the local store through {@code seen} (a counting or failing
   * wrapper); {@link #store} stays the plain local store for the test's own set-up.
   */
  public Fixture(Path root, DataSource ds, UnaryOperator<ObjectStore> seen) {
    this.root = root.toAbsolutePath().normalize();
    this.store = new LocalObjectStore(List.of(this.root));
    ObjectStore dispatcherStore = seen.apply(store);
    this.db = ds;
    this.jobs = new JobStore(ds);
    this.costs =
        new CostCalculator(
            new PriceBook(
                List.of(
                    new Price("aws", "m5.large", Lifecycle.ON_DEMAND, 0.096),
                    new Price("aws", "m5.large", Lifecycle.SPOT, 0.0336))));
    this.manifests = new ManifestWriter(jobs, dispatcherStore, costs, clock);
    this.planner =
        new JobPlanner(jobs, dispatcherStore, queue, manifests, Runnable::run, clock, meters);
    Supplier<String> idSupplier = () -> "job" + ids.incrementAndGet();
    StorageRoots roots = StorageRoots.of("spotbatch.storage.allowed-roots", List.of(rootUri()));
    this.service =
        new JobService(
            jobs,
            planner,
            manifests,
            dispatcherStore,
            queue,
            roots,
            JobLimits.defaults(List.of("all-minilm-l6-v2"), rootUri() + "staging/"),
            costs,
            clock,
            idSupplier,
            meters,
            new ModelLocationPolicy(roots, ModelLocationPolicy.DEFAULT_MAX_MODEL_BYTES),
            JobEtas.unmeasured(clock));
    Transactions tx = new TemplateTransactions(new DataSourceTransactionManager(ds));
    this.applier = new EventApplier(ds, manifests, tx, meters, new DrainReports(), null, e -> {});
  }

  public String rootUri() {
    return "file://" + root + "/";
  }

  public StoreUri uri(String relative) {
    return StoreUri.parse(rootUri()).resolve(relative);
  }

  /** A submission of a file or prefix under the root, output under {@code out/}. */
  public JobSubmission submission(String input, long itemBytes, int maxAttempts) {
    return JobSubmission.of(
        "test",
        "all-minilm-l6-v2",
        uri(input).toString(),
        uri("out/").toString(),
        itemBytes,
        maxAttempts);
  }

  public JobSubmission records(List<Map<String, Object>> records) {
    return JobSubmission.ofRecords("inline", "all-minilm-l6-v2", records, uri("out/").toString());
  }
}
