package dev.spotbatch.worker.item;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.store.local.LocalObjectStore;
import dev.spotbatch.task.ChunkOptions;
import dev.spotbatch.task.CleanOptions;
import dev.spotbatch.task.ModelRef;
import dev.spotbatch.task.TaskSpec;
import dev.spotbatch.task.TaskType;
import dev.spotbatch.worker.lease.ItemOutcome;
import dev.spotbatch.worker.task.Tokenizers;
import dev.spotbatch.worker.testing.Fixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A record the model throws on ({@code FakeModel.poison}) goes to the error part with the model's
 * reason; the item and its other records succeed, their output as if the bad record were not there.
 */
class RecordIsolationTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Tokenizers TOKENIZERS = new Tokenizers(Path.of("target", "model-cache"));
  static final int RECORDS = 10; // the fixture reads 4 records a chunk: chunks of 4, 4, 2

  @TempDir Path root;
  Path data;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    data = Files.createDirectories(root.resolve("data"));
    f =
        new Fixture(
            new LocalObjectStore(List.of(data)),
            Files.createDirectories(root.resolve("tmp")),
            StorageRoots.of("test", List.of(StoreUri.of(data).toString())));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void aRecordTheModelThrowsOnIsARecordErrorAndTheItemSucceeds() throws Exception {
    StringBuilder all = new StringBuilder();
    StringBuilder clean = new StringBuilder();
    for (int i = 0; i < RECORDS; i++) {
      boolean bad = i == 5 || i == 9;
      String line = record("r" + i, bad ? "POISON record " + i : "record " + i);
      all.append(line);
      if (!bad) {
        clean.append(line);
      }
    }
    Path input = write("docs.jsonl", all.toString());
    Path without = write("clean.jsonl", clean.toString());
    f.model.poison = "POISON";

    ItemCompleted done = embed(input, "out/");
    ItemCompleted reference = embed(without, "ref/");

    long size = Files.size(input);
    assertThat(done.part().records()).isEqualTo(RECORDS - 2);
    assertThat(done.errorPart().records()).isEqualTo(2);
    // the same deterministic names as any run of the item: a re-run rewrites them
    assertThat(done.part().path())
        .isEqualTo(String.format("part-000003-%014d-%014d.jsonl", 0, size));
    assertThat(done.errorPart().path())
        .isEqualTo(String.format("_errors/errors-000003-%014d-%014d.jsonl", 0, size));
    // the good records' output is exactly the output of the input without the bad ones
    assertThat(Files.readString(data.resolve("out").resolve(done.part().path())))
        .isEqualTo(Files.readString(data.resolve("ref").resolve(reference.part().path())));
    assertThat(reference.errorPart()).isNull();
    List<JsonNode> errors = lines(data.resolve("out").resolve(done.errorPart().path()));
    assertThat(errors).extracting(e -> e.get("id").asString()).containsExactly("r5", "r9");
    assertThat(errors.get(0).get("error").asString())
        .contains("the model failed on this record")
        .contains("fake model cannot take 'POISON'");
    assertThat(errors.get(0).get("offset").asLong())
        .isEqualTo(Files.readString(input).indexOf("{\"id\":\"r5\""));
    assertThat(f.queue.stats().total()).isZero();
  }

  @Test
  void inAChainTheBadChunksSourceRecordIsTheErrorAndTheOtherRecordsAreWritten() throws Exception {
    String good = "Alpha beta gamma delta. Epsilon zeta eta theta.";
    Path input =
        write(
            "docs.jsonl",
            record("a", "<p>" + good + "</p>")
                + record("b", "<p>Kappa lambda mu nu.</p><p>Xi omicron POISON rho.</p>")
                + record("c", "<b>Iota kappa lambda mu.</b> " + good.replace("Alpha", "Omega")));
    TaskSpec spec =
        new TaskSpec(
            List.of(TaskType.CLEAN, TaskType.CHUNK, TaskType.EMBED),
            ModelRef.builtIn("fake"),
            new ChunkOptions(8, 0, "all-minilm-l6-v2"),
            new CleanOptions(null, null, true, null, null, null),
            null,
            null,
            null);
    f.model.poison = "POISON";
    ItemProcessor processor =
        new ItemProcessor(
            f.committer(f.events),
            new ChunkPipeline(f.store, f.clock, f.metrics),
            f.batchers,
            f.roots,
            f.tempDir,
            TOKENIZERS);
    f.queue.send(List.of(chained(input, spec)));

    assertThat(processor.process(f.leaseOne())).isEqualTo(ItemOutcome.COMPLETED);

    ItemCompleted done = (ItemCompleted) f.drainEvents().get(0);
    Path out = data.resolve("out");
    List<JsonNode> lines = lines(out.resolve(done.part().path()));
    // none of b's chunks, not even its good first one: a record is written whole or not at all
    assertThat(lines)
        .extracting(l -> l.get("id").asString())
        .containsExactly("a#0", "a#1", "c#0", "c#1", "c#2");
    assertThat(lines.get(0).get("embedding").get(0).asDouble()).isEqualTo(23.0); // its length
    List<JsonNode> errors = lines(out.resolve(done.errorPart().path()));
    assertThat(errors).extracting(e -> e.get("id").asString()).containsExactly("b");
    assertThat(errors.get(0).get("error").asString())
        .contains("the model failed on chunk 1 of this record")
        .contains("fake model cannot take 'POISON'");
  }

  @Test
  void theBisectionCostsTwoCallsPerHalvingOfTheFailingPart() throws Exception {
    Path input =
        write(
            "docs.jsonl",
            record("r0", "zero")
                + record("r1", "one")
                + record("r2", "POISON")
                + record("r3", "3"));
    f.model.poison = "POISON";

    ItemCompleted done = embed(input, "out/");

    assertThat(done.part().records()).isEqualTo(3);
    assertThat(done.errorPart().records()).isEqualTo(1);
    // one chunk of n=4 with k=1 bad record: the failed batch, then 2 calls on each of log2(4)
    // levels ([r0,r1] ok, [r2,r3] failed; [r2] failed, [r3] ok): 1 + 2 * 2 * 1
    assertThat(f.model.calls.get()).isEqualTo(5);
  }

  @Test
  void aModelThatFailsOnEveryRecordFailsTheItemInsteadOfBlamingTheRecords() throws Exception {
    Path input = write("docs.jsonl", record("r0", "one") + record("r1", "two"));
    f.model.fail = true;
    f.queue.send(
        List.of(
            Fixture.item(
                "i1", StoreUri.of(input).toString(), Files.size(input), output("out/"), 0, 3)));

    assertThat(f.processor.process(f.leaseOne())).isEqualTo(ItemOutcome.RETRYING);

    assertThat(f.drainEvents()).singleElement().isInstanceOf(ItemFailed.class);
    assertThat(Files.exists(data.resolve("out"))).isFalse();
  }

  private ItemCompleted embed(Path input, String out) throws Exception {
    f.queue.send(
        List.of(
            Fixture.item(
                "i-" + out, StoreUri.of(input).toString(), Files.size(input), output(out), 0, 3)));
    assertThat(f.processor.process(f.leaseOne())).isEqualTo(ItemOutcome.COMPLETED);
    return (ItemCompleted) f.drainEvents().get(0);
  }

  private WorkItem chained(Path input, TaskSpec spec) throws Exception {
    return new WorkItem(
        "job-1",
        "item-1",
        0,
        "fake",
        StoreUri.of(input).toString(),
        "docs.jsonl",
        new ByteRange(0, Files.size(input)),
        InputFormat.JSONL,
        "text",
        "id",
        output("out/"),
        Attempts.NONE,
        3,
        spec);
  }

  private String output(String dir) {
    return StoreUri.of(data).asPrefix().resolve(dir).toString();
  }

  private static String record(String id, String text) {
    return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}\n";
  }

  private Path write(String name, String content) throws Exception {
    Path p = data.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  private static List<JsonNode> lines(Path file) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      nodes.add(JSON.readTree(l));
    }
    return nodes;
  }
}
