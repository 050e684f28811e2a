package dev.spotbatch.worker.item;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.store.local.LocalObjectStore;
import dev.spotbatch.store.s3.S3ObjectStore;
import dev.spotbatch.task.CleanOptions;
import dev.spotbatch.task.ModelLocations;
import dev.spotbatch.task.TaskSpec;
import dev.spotbatch.task.TaskType;
import dev.spotbatch.testing.S3ProxyServer;
import dev.spotbatch.worker.lease.ItemOutcome;
import dev.spotbatch.worker.task.StoreContentClaims;
import dev.spotbatch.worker.testing.Fixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code clean}'s exact duplicates across a whole job, on a local directory and on S3 (S3Proxy,
 * {@code If-None-Match: *}): the first record to claim a text keeps it, a record of another item
 * with the same cleaned text goes to the error part with the reason, and items run again (a retry,
 * a redelivery) keep exactly the records they kept before.
 */
class JobDedupeTest {
  static S3ProxyServer s3;

  @TempDir static Path shared;

  @BeforeAll
  static void start() {
    s3 = S3ProxyServer.start();
    s3.createBucket("data");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  /** A store and the root URI the test's objects go under. */
  record Store(String name, ObjectStore store, String root) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Store> stores() {
    Path local = shared.resolve("local-" + System.nanoTime());
    return Stream.of(
        new Store(
            "local", new LocalObjectStore(List.of(local)), StoreUri.of(local).asPrefix() + ""),
        new Store(
            "s3proxy", new S3ObjectStore(s3.client()), "s3://data/run-" + System.nanoTime() + "/"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aTextIsKeptOnceAcrossTheItemsOfAJobEvenWhenItemsRunAgain(Store s, @TempDir Path tmp)
      throws Exception {
    ObjectStore store = s.store();
    String out = s.root() + "out/";
    String one =
        put(store, s.root() + "in/one.jsonl", line("a", "Hello   world"), line("b", "only in one"));
    String two =
        put(
            store,
            s.root() + "in/two.jsonl",
            line("c", "Hello world"),
            line("d", "hello world"),
            line("e", " Hello world "));
    TaskSpec clean =
        new TaskSpec(
            List.of(TaskType.CLEAN), null, null, CleanOptions.defaults(), null, null, null);

    try (Fixture f = new Fixture(store, tmp, Fixture.roots(s.root()))) {
      Function<WorkItem, ItemCompleted> run =
          item -> {
            f.queue.send(List.of(item));
            assertThat(f.processor.process(f.leaseOne())).isEqualTo(ItemOutcome.COMPLETED);
            return (ItemCompleted) f.drainEvents().get(0);
          };
      WorkItem itemOne = item("item-1", 0, one, store, out, clean);
      WorkItem itemTwo = item("item-2", 1, two, store, out, clean);

      ItemCompleted second = run.apply(itemTwo); // c claims "Hello world" first; e repeats it
      ItemCompleted first = run.apply(itemOne); // a is c's text: a duplicate across items
      ItemCompleted secondAgain = run.apply(itemTwo); // e.g. redelivered after a lost lease
      ItemCompleted firstAgain = run.apply(itemOne);

      assertThat(ids(store, out, second.part().path())).containsExactly("c", "d");
      assertThat(text(store, out, second.errorPart().path()))
          .contains("\"id\":\"e\"")
          .contains("clean: duplicate of record c (same cleaned text)");
      assertThat(ids(store, out, first.part().path())).containsExactly("b");
      assertThat(first.recordsFailed()).isEqualTo(1);
      assertThat(text(store, out, first.errorPart().path()))
          .contains("\"id\":\"a\"")
          .contains("clean: duplicate of record c (same cleaned text)");
      // the same records kept, the same dropped, however often an item runs
      assertThat(ids(store, out, secondAgain.part().path())).containsExactly("c", "d");
      assertThat(ids(store, out, firstAgain.part().path())).containsExactly("b");
      assertThat(firstAgain.recordsFailed()).isEqualTo(1);

      String hash =
          HexFormat.of()
              .formatHex(
                  ModelLocations.sha256().digest("Hello world".getBytes(StandardCharsets.UTF_8)));
      StoreUri claim = StoreUri.parse(out).resolve(StoreContentClaims.FOLDER + hash);
      assertThat(read(store, claim))
          .contains("\"id\":\"c\"")
          .contains("\"input\":\"" + two + "\"")
          .contains("\"offset\":0");
    }
  }

  static String line(String id, String text) {
    return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}\n";
  }

  static String put(ObjectStore store, String uri, String... lines) {
    store.put(StoreUri.parse(uri), String.join("", lines).getBytes(StandardCharsets.UTF_8));
    return uri;
  }

  static WorkItem item(
      String id, int index, String input, ObjectStore store, String out, TaskSpec spec) {
    long size = store.stat(StoreUri.parse(input)).orElseThrow().size();
    return new WorkItem(
        "job-1",
        id,
        index,
        "none",
        input,
        input.substring(input.lastIndexOf('/') + 1),
        new ByteRange(0, size),
        InputFormat.JSONL,
        "text",
        "id",
        out,
        Attempts.NONE,
        3,
        spec);
  }

  static List<String> ids(ObjectStore store, String out, String path) {
    List<String> ids = new ArrayList<>();
    for (String l : text(store, out, path).lines().toList()) {
      ids.add(l.substring(l.indexOf("\"id\":\"") + 6, l.indexOf('"', l.indexOf("\"id\":\"") + 6)));
    }
    return ids;
  }

  static String text(ObjectStore store, String out, String path) {
    return read(store, StoreUri.parse(out).resolve(path));
  }

  static String read(ObjectStore store, StoreUri uri) {
    try (InputStream in = store.read(uri, 0, Long.MAX_VALUE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
