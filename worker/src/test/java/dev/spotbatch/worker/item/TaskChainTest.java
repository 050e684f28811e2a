package dev.spotbatch.worker.item;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.drain.DrainDecision;
import dev.spotbatch.event.FailureCause;
import dev.spotbatch.event.ItemCheckpointed;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.memory.InMemoryEventQueue;
import dev.spotbatch.queue.memory.InMemoryWorkQueue;
import dev.spotbatch.resilience.Backoff;
import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.store.local.LocalObjectStore;
import dev.spotbatch.task.ChunkOptions;
import dev.spotbatch.task.CleanOptions;
import dev.spotbatch.task.ModelRef;
import dev.spotbatch.task.TaskSpec;
import dev.spotbatch.task.TaskType;
import dev.spotbatch.testing.MutableClock;
import dev.spotbatch.worker.WorkerMetrics;
import dev.spotbatch.worker.inference.Batchers;
import dev.spotbatch.worker.inference.ModelRegistry;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ActiveItems;
import dev.spotbatch.worker.lease.ItemOutcome;
import dev.spotbatch.worker.lease.LeaseTesting;
import dev.spotbatch.worker.plugin.Plugins;
import dev.spotbatch.worker.task.Tokenizers;
import dev.spotbatch.worker.testing.SamplePlugin;
import dev.spotbatch.worker.testing.SteppedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chained tasks inside one item's pipeline (clean, chunk, embed) on the in-memory queues, a local
 * store, the built-in model's real tokenizer and a model the test steps through.
 */
class TaskChainTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Duration LEASE_TIME = Duration.ofMinutes(10);
  static final Tokenizers TOKENIZERS = new Tokenizers(Path.of("target", "model-cache"));
  static final String THREE_SENTENCES =
      "Alpha beta gamma delta. Epsilon zeta eta theta. Iota kappa lambda mu.";

  @TempDir Path root;
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final InMemoryWorkQueue queue = new InMemoryWorkQueue(clock, 100);
  final InMemoryEventQueue events = new InMemoryEventQueue();
  final SteppedModel model = new SteppedModel();
  final Batchers batchers =
      new Batchers(
          new ModelRegistry().register("fake", () -> model), 1, 4, Duration.ofMillis(1), null);
  final ActiveItems items = new ActiveItems();
  final List<WorkerEvent> seen = new ArrayList<>();
  Path data;
  ItemProcessor processor;

  @BeforeEach
  void setUp() throws Exception {
    data = Files.createDirectories(root.resolve("data"));
    LocalObjectStore store = new LocalObjectStore(List.of(data));
    ItemCommitter committer =
        new ItemCommitter(
            queue,
            events,
            store,
            new EventFactory(
                "worker-1", InstanceFacts.local("worker-1"), clock, clock.instant(), null),
            Backoff.exponential(Duration.ofSeconds(5), Duration.ofMinutes(15))
                .cappedAt(queue.maxDelay()),
            clock,
            WorkerMetrics.noop());
    processor =
        new ItemProcessor(
            committer,
            new ChunkPipeline(store, clock, WorkerMetrics.noop()),
            batchers,
            StorageRoots.of("test", List.of(StoreUri.of(data).toString())),
            Files.createDirectories(root.resolve("tmp")),
            TOKENIZERS);
  }

  @AfterEach
  void tearDown() {
    model.permits.release(1000);
    batchers.close(Duration.ofSeconds(1));
  }

  @Test
  void chunkAloneWritesOneLinePerChunkWithOffsetsTokensAndDeterministicIds() throws Exception {
    String text = THREE_SENTENCES;
    write("docs.jsonl", "{\"id\":\"d1\",\"text\":\"" + text + "\"}\n");
    TaskSpec spec = spec(List.of(TaskType.CHUNK), null, new ChunkOptions(8, 0, null), null);

    assertThat(run(item("docs.jsonl", "out/", spec))).isEqualTo(ItemOutcome.COMPLETED);

    List<JsonNode> lines = lines(completed().get(0).part().path());
    assertThat(lines)
        .extracting(l -> l.get("id").asString())
        .containsExactly("d1#0", "d1#1", "d1#2");
    assertThat(lines)
        .extracting(l -> l.get("text").asString())
        .containsExactly(
            "Alpha beta gamma delta.", "Epsilon zeta eta theta.", "Iota kappa lambda mu.");
    for (JsonNode l : lines) {
      assertThat(l.get("sourceId").asString()).isEqualTo("d1");
      assertThat(l.get("tokens").asInt()).isBetween(1, 8);
      assertThat(text.substring(l.get("start").asInt(), l.get("end").asInt()))
          .isEqualTo(l.get("text").asString());
      assertThat(l.has("embedding")).isFalse();
    }
    assertThat(model.entered.get()).isZero(); // no model in the chain
  }

  @Test
  void cleanChunkEmbedEmbedsTheChunksAndSendsDroppedRecordsToTheErrorPart() throws Exception {
    write(
        "docs.jsonl",
        "{\"id\":\"a\",\"text\":\"<p>Alpha   beta gamma delta.</p><p>Epsilon zeta eta"
            + " theta.</p>\"}\n"
            + "{\"id\":\"b\",\"text\":\"<p> \\u00a0 </p>\"}\n"
            + "{\"id\":\"c\",\"text\":\"<b>Alpha beta  gamma delta.</b> <i>Epsilon zeta eta"
            + " theta.</i>\"}\n");
    TaskSpec spec =
        spec(
            List.of(TaskType.CLEAN, TaskType.CHUNK, TaskType.EMBED),
            ModelRef.builtIn("fake"),
            new ChunkOptions(8, 0, "all-minilm-l6-v2"),
            new CleanOptions(null, null, true, null, null, null));
    model.permits.release(100);

    assertThat(run(item("docs.jsonl", "out/", spec))).isEqualTo(ItemOutcome.COMPLETED);

    ItemCompleted done = completed().get(0);
    List<JsonNode> lines = lines(done.part().path());
    assertThat(lines).extracting(l -> l.get("id").asString()).containsExactly("a#0", "a#1");
    assertThat(lines.get(0).get("text").asString()).isEqualTo("Alpha beta gamma delta.");
    assertThat(lines.get(0).get("embedding").get(0).asDouble()).isEqualTo(23.0); // its length
    List<JsonNode> errors = lines(done.errorPart().path());
    assertThat(errors).extracting(l -> l.get("id").asString()).containsExactly("b", "c");
    assertThat(errors.get(0).get("error").asString()).contains("fewer than minChars");
    assertThat(errors.get(1).get("error").asString()).contains("duplicate of record a");
  }

  @Test
  void aCheckpointMidItemAndItsContinuationWriteEveryChunkExactlyOnce() throws Exception {
    StringBuilder docs = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      docs.append("{\"id\":\"r")
          .append(i)
          .append("\",\"text\":\"")
          .append(THREE_SENTENCES)
          .append("\"}\n");
      for (int c = 0; c < 3; c++) {
        expected.add("r" + i + "#" + c);
      }
    }
    write("docs.jsonl", docs.toString());
    TaskSpec spec =
        spec(
            List.of(TaskType.CHUNK, TaskType.EMBED),
            ModelRef.builtIn("fake"),
            new ChunkOptions(8, 0, "all-minilm-l6-v2"),
            null);
    queue.send(List.of(item("docs.jsonl", "out/", spec)));
    ActiveItem big = lease();
    model.permits.release(3); // 4 records read at a time, 12 chunks: three batches of 4
    CompletableFuture<ItemOutcome> running =
        CompletableFuture.supplyAsync(
            () -> LeaseTesting.run(processor::process, items, big, clock));
    await(() -> big.progress(clock).total() == 12); // the first 4 records' chunks are written

    big.decide(DrainDecision.CHECKPOINT); // a drain, while the next records wait in the model
    model.permits.release(1000);

    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(ItemOutcome.CHECKPOINTED);
    ItemCheckpointed cp = events(ItemCheckpointed.class).get(0);
    long offset = cp.remaining().start();
    assertThat(offset).isGreaterThan(0).isLessThan(docs.length()); // a record boundary inside
    assertThat(docs.charAt((int) offset - 1)).isEqualTo('\n');

    ActiveItem rest = lease();
    assertThat(LeaseTesting.run(processor::process, items, rest, clock))
        .isEqualTo(ItemOutcome.COMPLETED);

    List<String> all = new ArrayList<>(ids(cp.part().path()));
    all.addAll(ids(events(ItemCompleted.class).get(0).part().path()));
    assertThat(all).containsExactlyElementsOf(expected);
  }

  @Test
  void aPluginTaskWritesTheTranslatorsResultForEachChunk() throws Exception {
    write("docs.jsonl", "{\"id\":\"d1\",\"text\":\"" + THREE_SENTENCES + "\"}\n");
    TaskSpec spec =
        new TaskSpec(
            List.of(TaskType.CHUNK, TaskType.PLUGIN),
            null,
            new ChunkOptions(8, 0, null),
            null,
            null,
            null,
            "word-stats");
    LocalObjectStore store = new LocalObjectStore(List.of(data));
    try (Plugins plugins =
        Plugins.load(SamplePlugin.install(root.resolve("plugins")).getParent())) {
      processor =
          new ItemProcessor(
              new ItemCommitter(
                  queue,
                  events,
                  store,
                  new EventFactory(
                      "worker-1", InstanceFacts.local("worker-1"), clock, clock.instant(), null),
                  Backoff.exponential(Duration.ofSeconds(5), Duration.ofMinutes(15)),
                  clock,
                  WorkerMetrics.noop()),
              new ChunkPipeline(store, clock, WorkerMetrics.noop()),
              batchers,
              StorageRoots.of("test", List.of(StoreUri.of(data).toString())),
              root.resolve("tmp"),
              TOKENIZERS,
              plugins);

      assertThat(run(item("docs.jsonl", "out/", spec))).isEqualTo(ItemOutcome.COMPLETED);
    }

    List<JsonNode> lines = lines(completed().get(0).part().path());
    assertThat(lines)
        .extracting(l -> l.get("id").asString())
        .containsExactly("d1#0", "d1#1", "d1#2");
    assertThat(lines.get(1).get("result").toString())
        .isEqualTo("{\"words\":4,\"chars\":23,\"longest\":\"epsilon\"}");
  }

  @Test
  void aBroughtModelThatCannotBeUsedFailsTheItemForGoodAtOnceWithTheReason() throws Exception {
    write("docs.jsonl", "{\"id\":\"d1\",\"text\":\"x\"}\n");
    TaskSpec spec =
        spec(
            List.of(TaskType.EMBED),
            new ModelRef("mine", "file:///nowhere/mine/", "sha256:" + "0".repeat(64), null),
            null,
            null);

    // this registry takes no models by URI: the same answer for every item, so no retry
    assertThat(run(item("docs.jsonl", "out/", spec))).isEqualTo(ItemOutcome.FAILED);

    ItemFailed failed = events(ItemFailed.class).get(0);
    assertThat(failed.terminal()).isTrue();
    assertThat(failed.reason()).contains("no models by URI", "file:///nowhere/mine/");
    assertThat(failed.cause()).isEqualTo(FailureCause.MODEL_UNUSABLE); // the job ends with it
  }

  // ---- helpers

  static TaskSpec spec(
      List<TaskType> tasks, ModelRef model, ChunkOptions chunk, CleanOptions clean) {
    return new TaskSpec(tasks, model, chunk, clean, null, null, null);
  }

  void write(String name, String content) throws Exception {
    Files.writeString(data.resolve(name), content, StandardCharsets.UTF_8);
  }

  WorkItem item(String input, String out, TaskSpec spec) throws Exception {
    Path file = data.resolve(input);
    return new WorkItem(
        "job-1",
        "item-1",
        0,
        spec.model() == null ? "chunk" : spec.model().name(),
        StoreUri.of(file).toString(),
        input,
        new ByteRange(0, Files.size(file)),
        InputFormat.JSONL,
        "text",
        "id",
        StoreUri.of(data).asPrefix().resolve(out).toString(),
        Attempts.NONE,
        3,
        spec);
  }

  ItemOutcome run(WorkItem item) {
    queue.send(List.of(item));
    return LeaseTesting.run(processor::process, items, lease(), clock);
  }

  ActiveItem lease() {
    List<Lease> leases = queue.lease(1, Duration.ZERO, LEASE_TIME);
    assertThat(leases).hasSize(1);
    return LeaseTesting.start(items, leases.get(0), clock);
  }

  List<ItemCompleted> completed() {
    return events(ItemCompleted.class);
  }

  <T extends WorkerEvent> List<T> events(Class<T> type) {
    seen.addAll(events.receive(1000, Duration.ZERO).stream().map(EventDelivery::event).toList());
    return seen.stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<JsonNode> lines(String partPath) throws Exception {
    Path out = data.resolve("out");
    return Files.readAllLines(out.resolve(partPath)).stream().map(JSON::readTree).toList();
  }

  List<String> ids(String partPath) throws Exception {
    return lines(partPath).stream().map(l -> l.get("id").asString()).toList();
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in 10 s");
      }
      Thread.sleep(5);
    }
  }
}
