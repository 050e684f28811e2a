package dev.spotbatch.worker.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import dev.spotbatch.model.OutputFormat;
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
import dev.spotbatch.task.ModelRef;
import dev.spotbatch.task.ScoreOptions;
import dev.spotbatch.task.TaskSpec;
import dev.spotbatch.task.TaskType;
import dev.spotbatch.testing.MutableClock;
import dev.spotbatch.worker.WorkerMetrics;
import dev.spotbatch.worker.inference.Batchers;
import dev.spotbatch.worker.inference.MiniLmOnnxModel;
import dev.spotbatch.worker.inference.ModelRegistry;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ActiveItems;
import dev.spotbatch.worker.lease.ItemOutcome;
import dev.spotbatch.worker.lease.LeaseTesting;
import dev.spotbatch.worker.task.Tokenizers;
import dev.spotbatch.worker.testing.SteppedModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Items whose job chose the {@code npy} output format, through the real pipeline (the built-in
 * model, the item processor, the committer) into a local store: the same floats as JSON lines, the
 * same record errors, the same exactly-once part names on a re-run and across a checkpoint.
 */
class NpyOutputTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Duration LEASE_TIME = Duration.ofMinutes(10);
  static final String MINILM = MiniLmOnnxModel.NAME;
  static final SteppedModel STEPPED = new SteppedModel();
  static ModelRegistry registry;
  static Batchers batchers;

  @TempDir Path root;
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final InMemoryWorkQueue queue = new InMemoryWorkQueue(clock, 100);
  final InMemoryEventQueue events = new InMemoryEventQueue();
  final ActiveItems items = new ActiveItems();
  final List<WorkerEvent> seen = new ArrayList<>();
  Path data;
  ItemProcessor processor;

  @BeforeAll
  static void load() {
    registry =
        ModelRegistry.withBuiltIns(Path.of("target", "model-cache"), 2)
            .register("fake", () -> STEPPED);
    batchers = new Batchers(registry, 1, 4, Duration.ofMillis(1), null);
  }

  @AfterAll
  static void close() {
    STEPPED.permits.release(1000);
    batchers.close(Duration.ofSeconds(1));
    registry.close();
  }

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
            new Tokenizers(Path.of("target", "model-cache")));
  }

  @Test
  void anNpyPartHoldsTheFloatsOfTheJsonLinesPartWithItsIdsRowForRow() throws Exception {
    StringBuilder docs = new StringBuilder();
    for (int i = 0; i < 18; i++) {
      docs.append("{\"id\":\"r").append(i).append("\",\"text\":\"Sentence number ");
      docs.append(i)
          .append(" says something different: ")
          .append("word ".repeat(i))
          .append("\"}\n");
      if (i == 5) {
        docs.append("{\"id\":\"no-text\"}\n"); // a record error, in both formats
      }
    }
    write("docs.jsonl", docs.toString());

    assertThat(run(item("jsonl/", MINILM, null, OutputFormat.JSONL)))
        .isEqualTo(ItemOutcome.COMPLETED);
    assertThat(run(item("npy/", MINILM, null, OutputFormat.NPY))).isEqualTo(ItemOutcome.COMPLETED);

    List<ItemCompleted> done = events(ItemCompleted.class);
    ItemCompleted asJsonl = done.get(0);
    ItemCompleted asNpy = done.get(1);
    assertThat(asNpy.part().path())
        .isEqualTo("part-000000-00000000000000-" + String.format("%014d", docs.length()) + ".npy");
    assertThat(asNpy.part().records()).isEqualTo(asJsonl.part().records()).isEqualTo(18);
    List<JsonNode> lines = lines("jsonl/" + asJsonl.part().path());
    Npy npy = Npy.read(data.resolve("npy").resolve(asNpy.part().path()));
    assertThat(npy.rows()).isEqualTo(18);
    assertThat(npy.columns()).isEqualTo(384);
    for (int r = 0; r < lines.size(); r++) {
      JsonNode embedding = lines.get(r).get("embedding");
      assertThat(embedding).hasSize(384);
      for (int c = 0; c < 384; c++) {
        assertThat((double) npy.at(r, c)).isCloseTo(embedding.get(c).asDouble(), within(1e-6));
      }
    }
    assertThat(ids("npy/" + OutputFormat.idsPath(asNpy.part().path())))
        .isEqualTo(ids("jsonl/" + asJsonl.part().path()))
        .startsWith("r0", "r1");
    // record errors stay JSON lines, and are the same in both formats
    assertThat(asNpy.errorPart().path()).endsWith(".jsonl").isEqualTo(asJsonl.errorPart().path());
    assertThat(Files.readString(data.resolve("npy").resolve(asNpy.errorPart().path())))
        .isEqualTo(Files.readString(data.resolve("jsonl").resolve(asJsonl.errorPart().path())))
        .contains("no-text");
    assertThat(files("npy"))
        .containsExactlyInAnyOrder(
            asNpy.part().path(),
            OutputFormat.idsPath(asNpy.part().path()),
            asNpy.errorPart().path());
  }

  @Test
  void aRerunOfTheSameRangeOverwritesTheSameObjectsWithTheSameBytes() throws Exception {
    write("docs.jsonl", "{\"id\":\"a\",\"text\":\"first\"}\n{\"id\":\"b\",\"text\":\"second\"}\n");
    WorkItem item = item("npy/", MINILM, null, OutputFormat.NPY);

    assertThat(run(item)).isEqualTo(ItemOutcome.COMPLETED);
    Map<String, byte[]> first = contents("npy");
    assertThat(run(item)).isEqualTo(ItemOutcome.COMPLETED); // delivered again, e.g. a lost ack

    Map<String, byte[]> second = contents("npy");
    assertThat(second.keySet()).containsExactlyElementsOf(first.keySet()).hasSize(2);
    for (String path : first.keySet()) {
      assertThat(second.get(path)).as(path).isEqualTo(first.get(path));
    }
  }

  @Test
  void aCheckpointAndItsContinuationHoldEveryRowExactlyOnceInNpyParts() throws Exception {
    StringBuilder docs = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      docs.append("{\"id\":\"r").append(i).append("\",\"text\":\"").append("x".repeat(i + 1));
      docs.append("\"}\n");
      expected.add("r" + i);
    }
    write("docs.jsonl", docs.toString());
    queue.send(List.of(item("npy/", "fake", null, OutputFormat.NPY)));
    ActiveItem big = lease();
    STEPPED.permits.release(1); // 4 records at a time: the first batch only
    CompletableFuture<ItemOutcome> running =
        CompletableFuture.supplyAsync(
            () -> LeaseTesting.run(processor::process, items, big, clock));
    await(() -> big.progress(clock).total() == 4);

    big.decide(DrainDecision.CHECKPOINT); // a drain, while the next records wait in the model
    STEPPED.permits.release(1000);

    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(ItemOutcome.CHECKPOINTED);
    ItemCheckpointed cp = events(ItemCheckpointed.class).get(0);
    assertThat(cp.part().path()).endsWith(".npy");
    assertThat(LeaseTesting.run(processor::process, items, lease(), clock))
        .isEqualTo(ItemOutcome.COMPLETED);
    ItemCompleted rest = events(ItemCompleted.class).get(0);

    List<String> all = new ArrayList<>();
    List<Float> lengths = new ArrayList<>();
    for (var part : List.of(cp.part(), rest.part())) {
      Npy npy = Npy.read(data.resolve("npy").resolve(part.path()));
      List<String> ids = ids("npy/" + OutputFormat.idsPath(part.path()));
      assertThat(npy.rows()).isEqualTo(ids.size()).isEqualTo((int) part.records());
      for (int r = 0; r < npy.rows(); r++) {
        lengths.add(npy.at(r, 0)); // the stepped model's vector: {text length, 0.5}
      }
      all.addAll(ids);
    }
    assertThat(all).containsExactlyElementsOf(expected);
    assertThat(lengths).containsExactly(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f);
  }

  @Test
  void chunkThenEmbedKeepsEachChunksFieldsInTheSidecar() throws Exception {
    write(
        "docs.jsonl",
        "{\"id\":\"d1\",\"text\":\"Alpha beta gamma delta. Epsilon zeta eta theta.\"}\n");
    TaskSpec spec =
        new TaskSpec(
            List.of(TaskType.CHUNK, TaskType.EMBED),
            ModelRef.builtIn(MINILM),
            new ChunkOptions(8, 0, "all-minilm-l6-v2"),
            null,
            null,
            null,
            null);

    assertThat(run(item("npy/", MINILM, spec, OutputFormat.NPY))).isEqualTo(ItemOutcome.COMPLETED);

    String part = events(ItemCompleted.class).get(0).part().path();
    List<JsonNode> sidecar = lines("npy/" + OutputFormat.idsPath(part));
    assertThat(sidecar).extracting(l -> l.get("id").asString()).containsExactly("d1#0", "d1#1");
    assertThat(sidecar.get(1).get("sourceId").asString()).isEqualTo("d1");
    assertThat(sidecar.get(1).get("text").asString()).isEqualTo("Epsilon zeta eta theta.");
    assertThat(sidecar.get(1).has("embedding")).isFalse(); // the vectors are in the .npy
    assertThat(Npy.read(data.resolve("npy").resolve(part)).rows()).isEqualTo(2);
  }

  @Test
  void anNpyItemWhoseTasksGiveNoVectorFailsItsJobWithoutWritingAPart() throws Exception {
    write("docs.jsonl", "{\"id\":\"a\",\"text\":\"first\"}\n");
    TaskSpec similarity =
        new TaskSpec(
            List.of(TaskType.SIMILARITY),
            ModelRef.builtIn(MINILM),
            null,
            null,
            null,
            new ScoreOptions(1, null, Map.of("q", "a query")),
            null);

    assertThat(run(item("npy/", MINILM, similarity, OutputFormat.NPY)))
        .isEqualTo(ItemOutcome.FAILED);

    ItemFailed failed = events(ItemFailed.class).get(0);
    assertThat(failed.cause()).isEqualTo(FailureCause.MODEL_UNUSABLE);
    assertThat(failed.reason()).contains("output format npy", "[similarity]", "use format jsonl");
    assertThat(data.resolve("npy")).doesNotExist();
  }

  /** A NumPy {@code .npy} file of little-endian float32, read as the format defines it. */
  record Npy(int rows, int columns, ByteBuffer floats) {
    static final Pattern SHAPE = Pattern.compile("'shape': \\((\\d+), (\\d+)\\)");

    static Npy read(Path file) throws Exception {
      byte[] b = Files.readAllBytes(file);
      assertThat(Arrays.copyOf(b, 8))
          .isEqualTo(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
      ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      int headerLength = Short.toUnsignedInt(le.getShort(8));
      String header = new String(b, 10, headerLength, StandardCharsets.US_ASCII);
      assertThat(header).contains("'descr': '<f4'", "'fortran_order': False").endsWith("\n");
      assertThat((10 + headerLength) % 64).isZero(); // aligned, as the format asks
      Matcher shape = SHAPE.matcher(header);
      assertThat(shape.find()).as(header).isTrue();
      int rows = Integer.parseInt(shape.group(1));
      int columns = Integer.parseInt(shape.group(2));
      assertThat(b.length - 10 - headerLength).isEqualTo(rows * columns * Float.BYTES);
      le.position(10 + headerLength);
      return new Npy(rows, columns, le.slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    float at(int row, int column) {
      return floats.getFloat((row * columns + column) * Float.BYTES);
    }
  }

  void write(String name, String content) throws Exception {
    Files.writeString(data.resolve(name), content, StandardCharsets.UTF_8);
  }

  WorkItem item(String out, String model, TaskSpec spec, OutputFormat format) throws Exception {
    Path file = data.resolve("docs.jsonl");
    return new WorkItem(
        "job-1",
        "item-1",
        0,
        model,
        StoreUri.of(file).toString(),
        "docs.jsonl",
        new ByteRange(0, Files.size(file)),
        InputFormat.JSONL,
        "text",
        "id",
        StoreUri.of(data).asPrefix().resolve(out).toString(),
        Attempts.NONE,
        3,
        spec,
        format);
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

  <T extends WorkerEvent> List<T> events(Class<T> type) {
    seen.addAll(events.receive(1000, Duration.ZERO).stream().map(EventDelivery::event).toList());
    return seen.stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<JsonNode> lines(String path) throws Exception {
    return Files.readAllLines(data.resolve(path)).stream().map(JSON::readTree).toList();
  }

  List<String> ids(String path) throws Exception {
    return lines(path).stream().map(l -> l.get("id").asString()).toList();
  }

  /** The files under {@code dir}, relative to it. */
  List<String> files(String dir) throws Exception {
    return List.copyOf(contents(dir).keySet());
  }

  Map<String, byte[]> contents(String dir) throws Exception {
    Path base = data.resolve(dir);
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(base)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(base.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in 10 s");
      }
      Thread.sleep(5);
    }
  }
}
