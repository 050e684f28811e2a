package dev.spotbatch.worker.item;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemStarted;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.store.local.LocalObjectStore;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ItemOutcome;
import dev.spotbatch.worker.testing.Fixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The processor on a real local object store in a temp directory. */
class ItemProcessorTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path root;
  Path input;
  String output;
  Fixture f;

  static final String LINES =
      "{\"id\":\"a\",\"text\":\"alpha\"}\n" // 0
          + "not json at all\n" // 26
          + "{\"text\":\"no id here\"}\n" // 42
          + "{\"id\":\"d\"}\n" // 64
          + "\n" // blank line: skipped
          + "{\"id\":7,\"text\":\"numeric id\"}\n"
          + "{\"id\":\"f\",\"text\":\"   \"}\n"
          + "{\"id\":\"g\",\"text\":\"gamma\"}\n";

  @BeforeEach
  void setUp() throws Exception {
    Path data = Files.createDirectories(root.resolve("data"));
    input = data.resolve("docs.jsonl");
    Files.writeString(input, LINES, StandardCharsets.UTF_8);
    output = StoreUri.of(data).asPrefix().resolve("out/").toString();
    LocalObjectStore store = new LocalObjectStore(List.of(data));
    f =
        new Fixture(
            store,
            Files.createDirectories(root.resolve("tmp")),
            StorageRoots.of("test", List.of(StoreUri.of(data).toString())));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void writesGoodRecordsToThePartAndBadOnesToTheErrorPart() throws Exception {
    long size = Files.size(input);
    f.queue.send(List.of(Fixture.item("i1", StoreUri.of(input).toString(), size, output, 0, 3)));
    ActiveItem active = f.leaseOne();

    assertThat(f.processor.process(active)).isEqualTo(ItemOutcome.COMPLETED);

    Path out = StoreUri.parse(output).toPath();
    List<String> part =
        Files.readAllLines(out.resolve(String.format("part-000003-%014d-%014d.jsonl", 0, size)));
    assertThat(part).hasSize(4);
    assertThat(part.stream().map(l -> JSON.readTree(l).get("id").asString()))
        .containsExactly("a", "docs.jsonl:42", "7", "g");
    JsonNode first = JSON.readTree(part.get(0));
    assertThat(first.get("embedding").size()).isEqualTo(2);
    assertThat(first.get("embedding").get(0).floatValue()).isEqualTo(5f); // "alpha".length()

    List<String> errors =
        Files.readAllLines(
            out.resolve(String.format("_errors/errors-000003-%014d-%014d.jsonl", 0, size)));
    assertThat(errors).hasSize(3);
    JsonNode notJson = JSON.readTree(errors.get(0));
    assertThat(notJson.get("id").asString()).isEqualTo("docs.jsonl:26");
    assertThat(notJson.get("offset").asLong()).isEqualTo(26);
    assertThat(notJson.get("error").asString()).contains("not valid JSON");
    assertThat(errors.stream().map(l -> JSON.readTree(l).get("id").asString()))
        .containsExactly("docs.jsonl:26", "d", "f");

    ItemCompleted done = (ItemCompleted) f.drainEvents().get(0);
    assertThat(done.part().records()).isEqualTo(4);
    assertThat(done.part().range()).isEqualTo(new ByteRange(0, size));
    assertThat(done.errorPart().records()).isEqualTo(3);
    assertThat(done.errorPart().path())
        .isEqualTo(String.format("_errors/errors-000003-%014d-%014d.jsonl", 0, size));
    assertThat(done.startedAt()).isEqualTo(active.startedAt());
    assertThat(done.attempts().failures()).isZero();
    assertThat(f.queue.stats().total()).isZero();

    ActiveItem.Progress progress = active.progress(f.clock);
    assertThat(progress.recordsDone()).isEqualTo(4);
    assertThat(progress.errors()).isEqualTo(3);
    assertThat(progress.position()).isEqualTo(size);
  }

  @Test
  void processesOnlyTheLinesThatStartInItsRange() throws Exception {
    long size = Files.size(input);
    var whole = Fixture.item("i1", StoreUri.of(input).toString(), size, output, 0, 3);
    var second =
        new dev.spotbatch.model.WorkItem(
            whole.jobId(),
            "i2",
            4,
            whole.model(),
            whole.inputUri(),
            whole.inputName(),
            new ByteRange(30, size),
            whole.format(),
            whole.textField(),
            whole.idField(),
            whole.outputUri(),
            whole.attempts(),
            whole.maxAttempts());
    f.queue.send(List.of(second));

    assertThat(f.processor.process(f.leaseOne())).isEqualTo(ItemOutcome.COMPLETED);

    Path part = StoreUri.parse(output).toPath().resolve(second.partPath());
    assertThat(Files.readAllLines(part).stream().map(l -> JSON.readTree(l).get("id").asString()))
        .containsExactly("docs.jsonl:42", "7", "g");
  }

  @Test
  void writesNoErrorPartWhenEveryRecordIsGood() throws Exception {
    Files.writeString(input, "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"yy\"}\n");
    f.queue.send(
        List.of(
            Fixture.item("i1", StoreUri.of(input).toString(), Files.size(input), output, 0, 3)));

    assertThat(f.processor.process(f.leaseOne())).isEqualTo(ItemOutcome.COMPLETED);

    ItemCompleted done = (ItemCompleted) f.drainEvents().get(0);
    assertThat(done.errorPart()).isNull();
    assertThat(Files.exists(StoreUri.parse(output).toPath().resolve("_errors"))).isFalse();
    assertThat(f.queue.lease(1, Duration.ZERO, Fixture.LEASE_TIME)).isEmpty();
  }

  @Test
  void tellsTheDispatcherTheItemStartedBeforeItsResult() throws Exception {
    f.queue.send(
        List.of(
            Fixture.item("i1", StoreUri.of(input).toString(), Files.size(input), output, 0, 3)));
    ActiveItem active = f.leaseOne();

    assertThat(f.processor.process(active)).isEqualTo(ItemOutcome.COMPLETED);

    List<WorkerEvent> events = f.drainAllEvents();
    assertThat(events)
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("ItemStarted", "ItemCompleted");
    ItemStarted started = (ItemStarted) events.get(0);
    assertThat(started.itemId()).isEqualTo("i1");
    assertThat(started.startedAt()).isEqualTo(active.startedAt());
    assertThat(started.attempts()).isEqualTo(active.lease().item().attempts());
  }
}
