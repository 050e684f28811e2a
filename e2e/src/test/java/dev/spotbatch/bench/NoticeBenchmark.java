package dev.spotbatch.bench;

import dev.spotbatch.e2e.Sentences;
import dev.spotbatch.event.DrainReport;
import dev.spotbatch.event.ItemCheckpointed;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.localcloud.LocalImdsServer;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.queue.WorkSubmitter;
import dev.spotbatch.testing.LocalImds;
import dev.spotbatch.worker.WorkerApplication;
import dev.spotbatch.worker.drain.Drainer;
import dev.spotbatch.worker.inference.EmbeddingModel;
import dev.spotbatch.worker.inference.MiniLmOnnxModel;
import dev.spotbatch.worker.inference.ModelRegistry;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ActiveItems;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The termination-notice benchmark (issue 3, point 7). For each of {@code notices} notices it
 * starts a fresh in-process worker ({@link WorkerApplication}: the SQS adapter on ElasticMQ, or the
 * Kafka share-group adapter on an in-process broker (a hand-back is then a RELEASE), the AWS IMDSv2
 * notice sources polling a {@link LocalImdsServer} every second, the real lease loop and drain) and
 * gives it {@value #RUNNERS} items that run and then {@value #LATE} more that it leases but cannot
 * start yet (concurrency {@value #CONCURRENCY}, one inference thread: their first chunk waits
 * behind the running items' chunks). Then it makes the fake IMDS answer a spot interruption and
 * measures, on the worker's own clock (the same JVM):
 *
 * <ol>
 *   <li>notice to detection: from the instant the fake starts answering 200 on {@code
 *       spot/instance-action} to the {@code detectedAt} of the worker's drain report;
 *   <li>detection to every unstarted lease back on the queue: {@code detectedAt} to {@code
 *       unstartedReturnedAt}; a receiver on the work queue also records when each continuation
 *       becomes receivable;
 *   <li>records processed twice: a counting wrapper around the (shared) model counts how often each
 *       record was embedded; after every notice, one uninterrupted finisher worker processes all
 *       the continuations; then per interruption: records embedded (by the interrupted worker and
 *       the finisher) minus records in the committed parts that tile each item's range, and the
 *       parts are read back to check each record is kept exactly once.
 * </ol>
 *
 * Notices alternate between a 120 s deadline (AWS: running items finish) and an 8 s deadline
 * (running items cannot finish before {@code deadline - 5 s margin}: they checkpoint).
 */
final class NoticeBenchmark {
  static final int CONCURRENCY = 5;
  static final int RUNNERS = 3;
  static final int LATE = 2;
  static final int LATE_RECORDS = 32;
  static final int BATCH = 32;

  /** What the deadline lets the running items do. */
  enum Mode {
    FINISH(Duration.ofSeconds(120), 160),
    CHECKPOINT(Duration.ofSeconds(8), 192);

    final Duration deadline;
    final int runnerRecords;

    Mode(Duration deadline, int runnerRecords) {
      this.deadline = deadline;
      this.runnerRecords = runnerRecords;
    }
  }

  /** One item of a trial and the input lines it owns. */
  private record Planned(WorkItem item, int firstRecord, int records) {}

  /** A message the benchmark received from the work queue, and when. */
  private record Received(Lease lease, Instant at) {}

  /** What one notice did, as the worker reported it and the queue showed it. */
  private record Trial(
      int index,
      Mode mode,
      Instant announcedAt,
      DrainReport report,
      List<Planned> items,
      Map<String, String> outcomes,
      List<PartRef> parts,
      List<Received> continuations,
      int handedBackSeen,
      int expectedContinuations,
      double startSeconds,
      double drainSeconds) {}

  private final int notices;
  private final String queueType;
  private final Map<String, Integer> interruptedEmbeds = new ConcurrentHashMap<>();
  private final Map<String, Integer> finisherEmbeds = new ConcurrentHashMap<>();

  /** Exactly-once violations found by the final check (none expected). */
  private final List<String> problems = new ArrayList<>();

  private Path dir;
  private BenchQueue broker;
  private EmbeddingModel model;

  NoticeBenchmark(int notices, String queueType) {
    this.notices = notices;
    this.queueType = queueType;
  }

  /** Runs every notice and the finisher; returns the Markdown rows. */
  List<String> run() throws Exception {
    dir = Files.createTempDirectory("spotbatch-notice-bench-");
    Files.createDirectories(dir.resolve("in"));
    List<Trial> trials = new ArrayList<>();
    List<WorkItem> continuations = new ArrayList<>();
    // Kafka: one partition per topic, so every share consumer of the group (the worker's five
    // slots, the observer) is assigned it. With 8, a single worker's slots split the partitions
    // between them and a record on a partition owned only by busy slots waits for them.
    try (BenchQueue server = BenchQueue.start(queueType, 1);
        EmbeddingModel shared =
            MiniLmOnnxModel.load(
                dir.resolve("models"), Runtime.getRuntime().availableProcessors())) {
      broker = server;
      model = shared;
      System.out.printf(Locale.ROOT, "queue: %s%n", broker.type());
      broker.ensure("notice-finish-work", "notice-finish-events");
      try (WorkSubmitter finishQueue =
              broker.submitter("notice-finish-work", "notice-finish-events");
          EventQueue finishEvents =
              broker.eventQueue("notice-finish-work", "notice-finish-events")) {
        warmUp();
        for (int t = 1; t <= notices; t++) {
          Mode mode = t % 2 == 1 ? Mode.FINISH : Mode.CHECKPOINT;
          Trial trial = trial(t, mode);
          trials.add(trial);
          List<WorkItem> next = trial.continuations().stream().map(r -> r.lease().item()).toList();
          finishQueue.send(next);
          continuations.addAll(next);
          print(trial);
        }
        System.out.printf(Locale.ROOT, "finisher: %d continuations%n", continuations.size());
        Map<String, List<PartRef>> finisherParts = finish(finishEvents, continuations.size());
        return summarize(trials, finisherParts);
      }
    }
  }

  /** Starts and stops one worker once, so the first notice does not pay for class loading. */
  private void warmUp() throws Exception {
    Trial warm = trial(0, Mode.FINISH);
    System.out.printf(Locale.ROOT, "warm-up notice done (%s)%n", warm.report());
  }

  private Trial trial(int t, Mode mode) throws Exception {
    String job = "notice-t" + t;
    List<Planned> items = writeInput(t, mode);
    broker.ensure(job + "-work", job + "-events");
    InstanceFacts facts =
        new InstanceFacts(
            "aws", "i-notice-" + t, "m7i.large", "us-east-1", "us-east-1a", Lifecycle.SPOT);
    try (WorkSubmitter submitter = broker.submitter(job + "-work", job + "-events");
        WorkSource work = broker.source(job + "-work", job + "-events", 10);
        EventQueue events = broker.eventQueue(job + "-work", job + "-events");
        LocalImdsServer imds = LocalImds.start(facts, Clock.systemUTC())) {
      List<WorkItem> runners = items.subList(0, RUNNERS).stream().map(Planned::item).toList();
      List<WorkItem> late =
          items.subList(RUNNERS, items.size()).stream().map(Planned::item).toList();
      Observer observer = new Observer(work);
      Instant announcedAt;
      DrainReport local;
      long t0 = System.nanoTime();
      double startSeconds;
      double drainSeconds;
      try (ConfigurableApplicationContext ctx =
          startWorker(job, job + "-work", job + "-events", imds, interruptedEmbeds)) {
        startSeconds = (System.nanoTime() - t0) / 1e9;
        ActiveItems active = ctx.getBean(ActiveItems.class);
        Drainer drainer = ctx.getBean(Drainer.class);
        submitter.send(runners);
        await(
            job + ": runners leased and started",
            Duration.ofMinutes(2),
            () -> started(active, runners, true));
        submitter.send(late);
        await(
            job + ": late items leased",
            Duration.ofSeconds(30),
            () -> started(active, late, false));
        observer.start();
        announcedAt = Instant.now();
        imds.announceSpotInterruption(announcedAt.plus(mode.deadline));
        if (!drainer.awaitDrained(mode.deadline.plusSeconds(30))) {
          throw new IllegalStateException(job + ": the worker did not drain");
        }
        local = drainer.report();
        drainSeconds = Duration.between(announcedAt, Instant.now()).toNanos() / 1e9;
      }
      // the worker's events, as the dispatcher would read them
      Map<String, String> outcomes = new LinkedHashMap<>();
      List<PartRef> parts = new ArrayList<>();
      DrainReport published = null;
      while (true) {
        List<EventDelivery> batch =
            events.receive(10, published == null ? Duration.ofSeconds(1) : Duration.ZERO);
        if (batch.isEmpty() && published != null) {
          break;
        }
        for (EventDelivery d : batch) {
          WorkerEvent e = d.event();
          if (e instanceof ItemCompleted c) {
            outcomes.put(c.itemId(), "finished");
            parts.add(c.part());
          } else if (e instanceof ItemCheckpointed c) {
            outcomes.put(c.itemId(), "checkpointed");
            parts.add(c.part());
          } else if (e instanceof WorkerStopped s) {
            published = s.report();
          }
        }
        events.acknowledge(batch);
      }
      if (published == null) {
        throw new IllegalStateException(job + ": no WorkerStopped event");
      }
      if (!published.equals(local)) {
        System.out.printf(
            "%s: WorkerStopped carries %s, the drain has %s%n", job, published, local);
      }
      // each item the worker neither finished (by its events) nor abandoned comes back at once; a
      // continuation that the worker's own lease call received while stopping is given back
      // again (and counted as handed back); an abandoned item returns when its lease expires
      int expected =
          items.size()
              - (int) outcomes.values().stream().filter("finished"::equals).count()
              - local.abandoned();
      List<Received> received = observer.finish(expected, Duration.ofSeconds(5));
      for (Received r : received) {
        work.complete(r.lease());
      }
      int handedBackSeen = 0;
      for (Received r : received) {
        WorkItem item = r.lease().item();
        Planned plan = plan(items, item.itemId());
        if (item.range().equals(plan.item().range())) {
          outcomes.put(item.itemId(), "handed back");
          handedBackSeen++;
        }
      }
      for (Planned p : items) {
        outcomes.putIfAbsent(p.item().itemId(), "abandoned");
      }
      return new Trial(
          t,
          mode,
          announcedAt,
          published,
          items,
          outcomes,
          parts,
          received,
          handedBackSeen,
          expected,
          startSeconds,
          drainSeconds);
    }
  }

  /** True once every item is leased (and, if asked, has at least one record done). */
  private static boolean started(ActiveItems active, List<WorkItem> items, boolean progressed) {
    Map<String, ActiveItem> byId = new HashMap<>();
    for (ActiveItem a : active.snapshot()) {
      byId.put(a.lease().item().itemId(), a);
    }
    for (WorkItem item : items) {
      ActiveItem a = byId.get(item.itemId());
      if (a == null || (progressed && a.progress(Clock.systemUTC()).total() == 0)) {
        return false;
      }
    }
    return true;
  }

  /** Receives from the work queue while the worker drains: what comes back, and when. */
  private static final class Observer {
    private final WorkSource queue;
    private final List<Received> received = new ArrayList<>();
    private volatile boolean stop;
    private Thread thread;

    Observer(WorkSource queue) {
      this.queue = queue;
    }

    void start() {
      thread =
          new Thread(
              () -> {
                while (!stop) {
                  List<Lease> leases;
                  try {
                    leases = queue.lease(10, Duration.ofSeconds(1), Duration.ofMinutes(10));
                  } catch (RuntimeException e) {
                    return; // the queue was closed after the trial
                  }
                  Instant at = Instant.now();
                  synchronized (received) {
                    if (stop && !leases.isEmpty()) {
                      System.out.println("observer: " + leases.size() + " late message(s) missed");
                    }
                    leases.forEach(l -> received.add(new Received(l, at)));
                  }
                }
              },
              "notice-bench-observer");
      thread.setDaemon(true);
      thread.start();
    }

    /** Waits until {@code expected} messages arrived or {@code idle} passed; stops receiving. */
    List<Received> finish(int expected, Duration idle) throws InterruptedException {
      long until = System.nanoTime() + idle.toNanos();
      while (System.nanoTime() < until) {
        synchronized (received) {
          if (received.size() >= expected) {
            break;
          }
        }
        Thread.sleep(20);
      }
      synchronized (received) {
        stop = true; // the receive in flight ends on its own within its 1 s wait
        return List.copyOf(received);
      }
    }
  }

  /** One uninterrupted worker processes every continuation; returns its parts by job. */
  private Map<String, List<PartRef>> finish(EventQueue events, int expected) throws Exception {
    Map<String, List<PartRef>> parts = new HashMap<>();
    long t0 = System.nanoTime();
    try (LocalImdsServer imds =
            LocalImds.start(
                new InstanceFacts(
                    "aws", "i-finisher", "m7i.large", "us-east-1", "us-east-1a", Lifecycle.SPOT),
                Clock.systemUTC());
        ConfigurableApplicationContext ctx =
            startWorker(
                "notice-finisher",
                "notice-finish-work",
                "notice-finish-events",
                imds,
                finisherEmbeds)) {
      int completed = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
      while (completed < expected) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "finisher completed " + completed + " of " + expected + " continuations");
        }
        List<EventDelivery> batch = events.receive(10, Duration.ofSeconds(1));
        for (EventDelivery d : batch) {
          if (d.event() instanceof ItemCompleted c) {
            parts.computeIfAbsent(c.jobId(), j -> new ArrayList<>()).add(c.part());
            completed++;
          } else if (d.event() instanceof ItemCheckpointed c) {
            throw new IllegalStateException("the finisher was interrupted: " + c);
          }
        }
        events.acknowledge(batch);
      }
    }
    System.out.printf(Locale.ROOT, "finisher done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    return parts;
  }

  private ConfigurableApplicationContext startWorker(
      String id,
      String workQueue,
      String eventQueue,
      LocalImdsServer imds,
      Map<String, Integer> tally) {
    CountingModel counting = new CountingModel(model, NoticeBenchmark::recordId, tally);
    ApplicationContextInitializer<ConfigurableApplicationContext> sharedModel =
        ctx ->
            ctx.getBeanFactory()
                .addBeanPostProcessor(
                    new BeanPostProcessor() {
                      @Override
                      public Object postProcessAfterInitialization(Object bean, String name) {
                        if (bean instanceof ModelRegistry registry) {
                          registry.register(MiniLmOnnxModel.NAME, () -> counting);
                        }
                        return bean;
                      }
                    });
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.addAll(broker.workerArgs(workQueue, eventQueue));
    args.addAll(
        List.of(
            "--spotbatch.worker.id=" + id,
            "--spotbatch.worker.allowed-roots=" + dir.toUri(),
            "--spotbatch.worker.model-cache-dir=" + dir.resolve("models"),
            "--spotbatch.worker.temp-dir=" + dir.resolve("tmp"),
            "--spotbatch.worker.batch-size=" + BATCH,
            "--spotbatch.worker.inference-threads=1",
            "--spotbatch.worker.concurrency=" + (id.equals("notice-finisher") ? 2 : CONCURRENCY),
            "--spotbatch.worker.poll-wait=1s",
            "--spotbatch.worker.notice.provider=aws",
            "--spotbatch.worker.notice.aws-endpoint=" + imds.endpoint(),
            "--spotbatch.worker.notice.sigterm-hook=false",
            // the e2e classpath carries the dispatcher's database; the worker process has none
            "--spring.autoconfigure.exclude="
                + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "--logging.level.root=WARN",
            "--logging.level.dev.spotbatch.worker.drain=ERROR"));
    return new SpringApplicationBuilder(WorkerApplication.class)
        .initializers(sharedModel)
        .run(args.toArray(String[]::new));
  }

  /** Writes trial {@code t}'s input: runners first, then the late items; one item per range. */
  private List<Planned> writeInput(int t, Mode mode) throws IOException {
    String job = "notice-t" + t;
    Path input = dir.resolve("in/" + job + ".jsonl");
    String out = dir.resolve("out/" + job).toUri().toString();
    out = out.endsWith("/") ? out : out + "/";
    List<String> lines = new ArrayList<>();
    List<Planned> items = new ArrayList<>();
    long offset = 0;
    int record = 0;
    for (int index = 0; index < RUNNERS + LATE; index++) {
      int n = index < RUNNERS ? mode.runnerRecords : LATE_RECORDS;
      long start = offset;
      for (int i = 0; i < n; i++) {
        String id = "t" + t + "-r" + (record + i);
        String line =
            "{\"id\":\""
                + id
                + "\",\"text\":\""
                + Sentences.sentence(record + i)
                + " | "
                + id
                + "\"}";
        lines.add(line);
        offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
      }
      WorkItem item =
          new WorkItem(
              job,
              job + "-" + index,
              index,
              MiniLmOnnxModel.NAME,
              input.toUri().toString(),
              job + ".jsonl",
              new ByteRange(start, offset),
              InputFormat.JSONL,
              "text",
              "id",
              out,
              Attempts.NONE,
              3);
      items.add(new Planned(item, record, n));
      record += n;
    }
    Files.write(input, lines, StandardCharsets.UTF_8);
    return items;
  }

  private static String recordId(String text) {
    return text.substring(text.lastIndexOf(" | ") + 3);
  }

  private static Planned plan(List<Planned> items, String itemId) {
    for (Planned p : items) {
      if (p.item().itemId().equals(itemId)) {
        return p;
      }
    }
    throw new IllegalStateException("unknown item " + itemId);
  }

  private static void print(Trial t) {
    DrainReport r = t.report();
    System.out.printf(
        Locale.ROOT,
        "notice %d (%s, deadline %s): detected +%s, unstarted back +%s after detection;"
            + " %d handed back (%d whole items seen on the queue), %d finished, %d checkpointed,"
            + " %d abandoned"
            + " (worker start %.1f s, drain %.1f s)%n",
        t.index(),
        t.mode().name().toLowerCase(Locale.ROOT),
        t.mode().deadline.toSeconds() + " s",
        seconds(t.announcedAt(), r.detectedAt()),
        r.unstartedReturnedAt() == null ? "-" : seconds(r.detectedAt(), r.unstartedReturnedAt()),
        r.handedBack(),
        t.handedBackSeen(),
        r.finished(),
        r.checkpointed(),
        r.abandoned(),
        t.startSeconds(),
        t.drainSeconds());
  }

  private static String seconds(Instant from, Instant to) {
    return String.format(Locale.ROOT, "%.3f s", Duration.between(from, to).toNanos() / 1e9);
  }

  /** Checks every record is kept exactly once and computes the figures. */
  private List<String> summarize(List<Trial> trials, Map<String, List<PartRef>> finisherParts)
      throws IOException {
    List<Double> detect = new ArrayList<>();
    List<Double> unstarted = new ArrayList<>();
    List<Double> queueSide = new ArrayList<>();
    List<Double> rework = new ArrayList<>();
    Map<Mode, List<Double>> reworkByMode = new LinkedHashMap<>();
    Map<String, List<Double>> reworkByOutcome = new LinkedHashMap<>();
    int handedBack = 0;
    int finished = 0;
    int checkpointed = 0;
    int abandoned = 0;
    int withUnstarted = 0;
    int abandonedItems = 0;
    for (Trial t : trials) {
      DrainReport r = t.report();
      detect.add(Duration.between(t.announcedAt(), r.detectedAt()).toNanos() / 1e9);
      handedBack += r.handedBack();
      finished += r.finished();
      checkpointed += r.checkpointed();
      abandoned += r.abandoned();
      if (r.unstartedReturnedAt() != null) {
        withUnstarted++;
        unstarted.add(Duration.between(r.detectedAt(), r.unstartedReturnedAt()).toNanos() / 1e9);
        Instant lastSeen = null;
        for (Received c : t.continuations()) {
          WorkItem item = c.lease().item();
          if (item.range().equals(plan(t.items(), item.itemId()).item().range())
              && (lastSeen == null || c.at().isAfter(lastSeen))) {
            lastSeen = c.at();
          }
        }
        if (lastSeen != null) {
          queueSide.add(Duration.between(r.detectedAt(), lastSeen).toNanos() / 1e9);
        }
      }
      // the queue side: one continuation per item the worker did not finish, starting where the
      // worker stopped (a checkpoint's offset, or the start of an item handed back)
      if (t.continuations().size() != t.expectedContinuations()) {
        problems.add(
            "notice "
                + t.index()
                + ": "
                + t.continuations().size()
                + " continuations on the queue, expected "
                + t.expectedContinuations());
      }
      // every record of the trial: embedded how often, kept how often
      List<PartRef> kept = new ArrayList<>(t.parts());
      kept.addAll(finisherParts.getOrDefault("notice-t" + t.index(), List.of()));
      checkTiling(t, kept);
      Map<String, Integer> keptCount = readIds(t, kept);
      long trialRework = 0;
      for (Planned p : t.items()) {
        long itemRework = 0;
        boolean abandonedItem = t.outcomes().get(p.item().itemId()).equals("abandoned");
        if (abandonedItem) {
          abandonedItems++;
        }
        for (int i = p.firstRecord(); i < p.firstRecord() + p.records(); i++) {
          String id = "t" + t.index() + "-r" + i;
          int k = keptCount.getOrDefault(id, 0);
          // an abandoned item comes back only when its lease expires (60 s): not followed here;
          // all it embedded is thrown away
          if (k != 1 && !(abandonedItem && k == 0)) {
            problems.add("record " + id + " is kept " + k + " times");
          }
          itemRework +=
              interruptedEmbeds.getOrDefault(id, 0) + finisherEmbeds.getOrDefault(id, 0) - k;
        }
        trialRework += itemRework;
        reworkByOutcome
            .computeIfAbsent(t.outcomes().get(p.item().itemId()), o -> new ArrayList<>())
            .add((double) itemRework);
      }
      rework.add((double) trialRework);
      reworkByMode.computeIfAbsent(t.mode(), m -> new ArrayList<>()).add((double) trialRework);
    }
    long finisherRework = 0;
    for (var e : finisherEmbeds.entrySet()) {
      finisherRework += e.getValue() - 1L; // a finisher-embedded record is kept by the finisher
    }
    List<String> rows = new ArrayList<>();
    rows.add(
        row(
            "notice -> detection (IMDS answers 200 -> `detectedAt`)",
            detect.size() + " notices",
            detect,
            true));
    rows.add(
        row(
            "detection -> every unstarted lease back (`detectedAt` -> `unstartedReturnedAt`)",
            unstarted.size() + " notices with unstarted leases",
            unstarted,
            true));
    rows.add(
        row(
            "detection -> last handed-back item received from the queue",
            queueSide.size() + " notices",
            queueSide,
            true));
    rows.add(
        row(
            "records processed twice per interruption",
            rework.size() + " interruptions",
            rework,
            false));
    for (var e : reworkByMode.entrySet()) {
      rows.add(
          row(
              "... deadline " + e.getKey().deadline.toSeconds() + " s",
              e.getValue().size() + " interruptions",
              e.getValue(),
              false));
    }
    for (var e : reworkByOutcome.entrySet()) {
      rows.add(
          row(
              "... per item " + e.getKey() + " by the interrupted worker",
              e.getValue().size() + " items",
              e.getValue(),
              false));
    }
    problems.stream().limit(20).forEach(p -> System.out.println("PROBLEM: " + p));
    rows.add(
        String.format(
            Locale.ROOT,
            "| every record of every item kept exactly once (parts tile each range, read back)"
                + " | %d records | %s | | | | |",
            trials.stream().flatMap(t -> t.items().stream()).mapToInt(Planned::records).sum(),
            (problems.isEmpty() ? "yes" : "NO: " + problems.size() + " problems")
                + (abandonedItems == 0
                    ? ""
                    : " (" + abandonedItems + " abandoned items not followed: see above)")));
    System.out.printf(
        Locale.ROOT,
        "items: %d finished, %d checkpointed, %d handed back, %d abandoned (batch %d records)%n",
        finished,
        checkpointed,
        handedBack,
        abandoned,
        BATCH);
    System.out.printf(
        Locale.ROOT,
        "%d of %d notices found unstarted leases; the finisher embedded %d records more than it"
            + " kept%n",
        withUnstarted,
        trials.size(),
        finisherRework);
    return rows;
  }

  /** The kept parts of each item must tile its range exactly. */
  private void checkTiling(Trial t, List<PartRef> kept) {
    for (Planned p : t.items()) {
      if (t.outcomes().get(p.item().itemId()).equals("abandoned")) {
        continue;
      }
      ByteRange range = p.item().range();
      List<PartRef> mine = new ArrayList<>();
      for (PartRef part : kept) {
        if (part.range().start() >= range.start() && part.range().end() <= range.end()) {
          mine.add(part);
        }
      }
      mine.sort(Comparator.comparingLong(part -> part.range().start()));
      long at = range.start();
      for (PartRef part : mine) {
        if (part.range().start() != at) {
          problems.add("item " + p.item().itemId() + ": parts " + mine + " do not tile " + range);
        }
        at = part.range().end();
      }
      if (at != range.end()) {
        problems.add("item " + p.item().itemId() + ": parts " + mine + " do not tile " + range);
      }
    }
  }

  /** Reads the ids of every kept part back from the output directory. */
  private Map<String, Integer> readIds(Trial t, List<PartRef> kept) throws IOException {
    Map<String, Integer> ids = new HashMap<>();
    Path out = dir.resolve("out/notice-t" + t.index());
    for (PartRef part : kept) {
      long n = 0;
      try (BufferedReader in = Files.newBufferedReader(out.resolve(part.path()))) {
        String line;
        while ((line = in.readLine()) != null) {
          int from = line.indexOf("\"id\":\"") + 6;
          ids.merge(line.substring(from, line.indexOf('"', from)), 1, Integer::sum);
          n++;
        }
      }
      if (n != part.records()) {
        problems.add(part + " holds " + n + " records");
      }
    }
    return ids;
  }

  /** One Markdown row: what, n, p50, p90, p99, max, mean (seconds or records). */
  private static String row(String what, String n, List<Double> v, boolean seconds) {
    if (v.isEmpty()) {
      return "| " + what + " | " + n + " | - | - | - | - | - |";
    }
    String f = seconds ? "%.3f s" : "%.0f";
    return String.format(
        Locale.ROOT,
        "| %s | %s | "
            + f
            + " | "
            + f
            + " | "
            + f
            + " | "
            + f
            + " | "
            + (seconds ? f : "%.1f")
            + " |",
        what,
        n,
        Stats.percentile(v, 50),
        Stats.percentile(v, 90),
        Stats.percentile(v, 99),
        Collections.max(v),
        Stats.mean(v));
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("timed out waiting: " + what);
      }
      Thread.sleep(10);
    }
  }
}
