package dev.spotbatch.dispatcher.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.dispatcher.Databases;
import dev.spotbatch.dispatcher.Fixture;
import dev.spotbatch.model.OutputFormat;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.QueueException;
import dev.spotbatch.queue.QueueStats;
import dev.spotbatch.queue.WorkSubmitter;
import dev.spotbatch.store.ObjectInfo;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The planning pipeline (issue 13 point 6): chunks of a plan are stored and sent while the listing
 * goes on, in bounded memory, and a plan cut short resumes or ends visibly.
 */
class PlanPipelineTest {
  private static final PlanOptions SMALL = new PlanOptions(100, 2, 2);

  @TempDir Path dir;

  private Fixture fixture(Function<ObjectStore, ObjectStore> seen) {
    return new Fixture(dir, Databases.h2(), seen::apply);
  }

  private JobPlanner planner(Fixture f, WorkSubmitter queue) {
    return new JobPlanner(
        f.jobs,
        f.store,
        queue,
        f.manifests,
        Runnable::run,
        f.clock,
        f.meters,
        SMALL,
        JobPlanner.namedThreads("test-plan-send-"));
  }

  /** A job stored PENDING, as {@code JobService.submit} leaves it before planning. */
  private Job pending(Fixture f, String id, String input, long itemBytes) {
    Job job =
        new Job(
            id,
            "pipeline",
            JobStatus.PENDING,
            "all-minilm-l6-v2",
            f.uri(input).toString(),
            "jsonl",
            null,
            null,
            f.uri("out/").toString(),
            itemBytes,
            3,
            null,
            null,
            f.clock.instant(),
            null,
            null,
            null,
            0,
            OutputFormat.JSONL);
    f.jobs.insertJob(job);
    return job;
  }

  private void sparse(String relative, long bytes) throws Exception {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    try (RandomAccessFile file = new RandomAccessFile(p.toFile(), "rw")) {
      file.setLength(bytes);
    }
  }

  private void manyFiles(String relative, int n) throws Exception {
    Path in = Files.createDirectories(dir.resolve(relative));
    for (int i = 0; i < n; i++) {
      Files.write(in.resolve(String.format("doc-%05d.jsonl", i)), new byte[10]);
    }
  }

  private Set<String> queuedIds(Fixture f) {
    Set<String> ids = new HashSet<>();
    for (Lease l : f.queue.lease(100_000, Duration.ZERO, Duration.ofMinutes(1))) {
      ids.add(l.item().itemId());
    }
    return ids;
  }

  @Test
  void everyChunkIsSentOnlyOnceStoredAndTheJobRunsOnlyOnceAllAreSent() throws Exception {
    Fixture f = fixture(s -> s);
    sparse("in/big.jsonl", 1_050L * 1024); // 1,050 items of 1 KiB: 10 full chunks and a short one
    JdbcClient other = JdbcClient.create(f.db); // its own connection: sees committed rows only
    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicInteger sends = new AtomicInteger();
    WorkSubmitter checking =
        new Delegating(f.queue) {
          @Override
          public void send(List<WorkItem> items) {
            sends.incrementAndGet();
            String first = items.get(0).itemId();
            String last = items.get(items.size() - 1).itemId();
            long stored =
                other
                    .sql("select count(*) from items where item_id in (:ids)")
                    .param("ids", items.stream().map(WorkItem::itemId).toList())
                    .query(Long.class)
                    .single();
            if (stored != items.size()) {
              violations.add(first + ".." + last + " sent before it was stored");
            }
            String status =
                other
                    .sql("select status from jobs where id = :id")
                    .param("id", items.get(0).jobId())
                    .query(String.class)
                    .single();
            if (!"PENDING".equals(status)) {
              violations.add(first + ".." + last + " sent while the job was " + status);
            }
            super.send(items);
          }
        };
    Job job = pending(f, "big", "in/big.jsonl", 1024);

    planner(f, checking).run(job);

    assertThat(violations).isEmpty();
    assertThat(sends).hasValue(11);
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(f.jobs.items().countItems(job.id())).isEqualTo(1_050);
    assertThat(queuedIds(f)).hasSize(1_050);
  }

  @Test
  void aSlowQueueHoldsTheListingBackSoThePlannerHoldsBoundedItems() throws Exception {
    Fixture f = fixture(s -> s);
    sparse("in/big.jsonl", 5_000L * 1024);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger blocked = new AtomicInteger();
    WorkSubmitter slow =
        new Delegating(f.queue) {
          @Override
          public void send(List<WorkItem> items) {
            blocked.incrementAndGet();
            await(release);
            super.send(items);
          }
        };
    Job job = pending(f, "slow", "in/big.jsonl", 1024);
    Thread planning = new Thread(() -> planner(f, slow).run(job), "test-planning");
    planning.start();

    int stored = stableCount(f, job.id());
    assertThat(blocked).as("both senders are busy").hasValue(SMALL.senders());
    assertThat(stored)
        .as("stored while the queue takes nothing: sending, waiting, and one being handed over")
        .isEqualTo((SMALL.senders() + SMALL.chunksAhead() + 1) * SMALL.chunkItems())
        .isLessThanOrEqualTo(SMALL.maxItemsHeld());
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.PENDING);

    release.countDown();
    planning.join(30_000);
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(queuedIds(f)).hasSize(5_000);
  }

  /** The item count once it stops growing for 300 ms (the planner is blocked). */
  private static int stableCount(Fixture f, String jobId) throws InterruptedException {
    int last = -1;
    long stableSince = System.nanoTime();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      int now = f.jobs.items().countItems(jobId);
      if (now != last) {
        last = now;
        stableSince = System.nanoTime();
      } else if (now > 0 && System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(300)) {
        return now;
      }
      Thread.sleep(20);
    }
    return last;
  }

  @Test
  void aFailedSendEndsTheJobFailedWithItsStoredItemsAndARetryResumesThePlan() throws Exception {
    Fixture f = fixture(s -> s);
    sparse("in/big.jsonl", 1_000L * 1024);
    AtomicInteger calls = new AtomicInteger();
    WorkSubmitter failing =
        new Delegating(f.queue) {
          @Override
          public void send(List<WorkItem> items) {
            if (calls.incrementAndGet() == 3) {
              throw new QueueException("queue unavailable (test)");
            }
            super.send(items);
          }
        };
    Job job = pending(f, "failing", "in/big.jsonl", 1024);

    planner(f, failing).run(job);

    Job failed = f.jobs.findJob(job.id()).orElseThrow();
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.reason()).contains("queue unavailable");
    int stored = f.jobs.items().countItems(job.id());
    assertThat(stored).isBetween(300, 1_000);
    assertThat(f.jobs.items().itemCounts(job.id()).failed())
        .as("the stored part of the plan failed with the job")
        .isEqualTo(stored);

    f.service.retry(job.id()); // the fixture's planner: the queue works again

    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(f.jobs.items().inJob(job.id()))
        .extracting(ItemRow::index)
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 1_000).boxed().toList());
    assertThat(queuedIds(f)).hasSize(1_000);
  }

  /** Stands for the dispatcher dying: an Error the planner does not catch, mid-listing. */
  static final class SimulatedCrash extends Error {
    SimulatedCrash() {
      super("the dispatcher process died (test)");
    }
  }

  /** A store whose first listing dies after {@code after} objects; later listings are whole. */
  private static ObjectStore crashingOnce(ObjectStore real, int after) {
    AtomicBoolean crashed = new AtomicBoolean();
    return new ForwardingStore(real) {
      @Override
      public void forEachUnder(StoreUri prefix, Consumer<ObjectInfo> each) {
        AtomicInteger seen = new AtomicInteger();
        real.forEachUnder(
            prefix,
            info -> {
              if (!crashed.get() && seen.incrementAndGet() > after) {
                crashed.set(true);
                throw new SimulatedCrash();
              }
              each.accept(info);
            });
      }
    };
  }

  @Test
  void aPlanCutShortByACrashIsResumedOnRestartWithEveryItemOnce() throws Exception {
    manyFiles("in/many", 2_500);
    Fixture f = fixture(s -> crashingOnce(s, 1_234));
    assertThatThrownBy(() -> f.service.submit(f.submission("in/many/", 1024, 3)))
        .isInstanceOf(SimulatedCrash.class);
    String id = f.jobs.listJobs(null, 1).get(0).id();
    assertThat(f.jobs.findJob(id).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
    int storedBefore = f.jobs.items().countItems(id);
    assertThat(storedBefore).as("whole chunks of 500 were stored").isEqualTo(1_000);

    f.service.resumePending(); // the restarted dispatcher

    assertThat(f.jobs.findJob(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    List<ItemRow> items = f.jobs.items().inJob(id);
    assertThat(items)
        .extracting(ItemRow::index)
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 2_500).boxed().toList());
    assertThat(items)
        .extracting(ItemRow::inputName)
        .startsWith("doc-00000.jsonl")
        .endsWith("doc-02499.jsonl")
        .doesNotHaveDuplicates();
    assertThat(queuedIds(f)).as("every item on the queue, at least once").hasSize(2_500);
  }

  @Test
  void aPlanCutShortWhoseInputChangedEndsFailedWithTheReason() throws Exception {
    manyFiles("in/many", 1_500);
    Fixture f = fixture(s -> crashingOnce(s, 700));
    assertThatThrownBy(() -> f.service.submit(f.submission("in/many/", 1024, 3)))
        .isInstanceOf(SimulatedCrash.class);
    String id = f.jobs.listJobs(null, 1).get(0).id();
    assertThat(f.jobs.items().countItems(id)).isEqualTo(500);
    Files.write(dir.resolve("in/many/a-new-first.jsonl"), new byte[10]); // sorts before doc-*

    f.service.resumePending();

    Job job = f.jobs.findJob(id).orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
    assertThat(job.reason())
        .contains("changed while the job was being planned")
        .contains("submit the job again");
    assertThat(f.jobs.items().itemCounts(id).failed()).isEqualTo(500);
  }

  @Test
  void aJobCancelledWhilePlannedStopsItsPlanningAndKeepsNoPendingItem() throws Exception {
    Fixture f = fixture(s -> s);
    sparse("in/big.jsonl", 2_000L * 1024);
    String[] jobId = new String[1];
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch cancelled = new CountDownLatch(1);
    WorkSubmitter cancelling =
        new Delegating(f.queue) {
          @Override
          public void send(List<WorkItem> items) {
            super.send(items);
            if (calls.incrementAndGet() == 1) {
              f.service.cancel(jobId[0]);
              cancelled.countDown();
            }
          }
        };
    Job job = pending(f, "cancel", "in/big.jsonl", 1024);
    jobId[0] = job.id();

    planner(f, cancelling).run(job);

    // the planner stops as soon as it sees the job CANCELLED; the cancel call itself then marks
    // the stored items (a sender thread ran it here, as an API thread would)
    assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    ItemCounts counts = f.jobs.items().itemCounts(job.id());
    assertThat(counts.total()).isLessThan(2_000);
    assertThat(counts.pending()).isZero();
    assertThat(counts.cancelled()).isEqualTo(counts.total());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A queue that hands every call to another one; tests override {@code send}. */
  private static class Delegating implements WorkSubmitter {
    private final WorkSubmitter real;

    Delegating(WorkSubmitter real) {
      this.real = real;
    }

    @Override
    public void send(List<WorkItem> items) {
      real.send(items);
    }

    @Override
    public QueueStats stats() {
      return real.stats();
    }

    @Override
    public void close() {}
  }

  /** A store that hands every call to another one; tests override what they change. */
  private static class ForwardingStore implements ObjectStore {
    final ObjectStore real;

    ForwardingStore(ObjectStore real) {
      this.real = real;
    }

    @Override
    public InputStream read(StoreUri uri, long start, long end) {
      return real.read(uri, start, end);
    }

    @Override
    public Optional<ObjectInfo> stat(StoreUri uri) {
      return real.stat(uri);
    }

    @Override
    public void put(StoreUri uri, Path file) {
      real.put(uri, file);
    }

    @Override
    public void put(StoreUri uri, byte[] bytes) {
      real.put(uri, bytes);
    }

    @Override
    public boolean putIfAbsent(StoreUri uri, byte[] bytes) {
      return real.putIfAbsent(uri, bytes);
    }

    @Override
    public List<ObjectInfo> list(StoreUri prefix) {
      return real.list(prefix);
    }

    @Override
    public void forEachUnder(StoreUri prefix, Consumer<ObjectInfo> each) {
      real.forEachUnder(prefix, each);
    }

    @Override
    public void delete(StoreUri uri) {
      real.delete(uri);
    }
  }
}
