package dev.spotbatch.store.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.testing.ObjectStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the object store contract against {@link LocalObjectStore}, plus its root checks. */
class LocalObjectStoreTest extends ObjectStoreContract {
  @TempDir Path data;
  @TempDir Path outside;

  private LocalObjectStore store;

  @Override
  protected ObjectStore store() {
    if (store == null) {
      store = new LocalObjectStore(List.of(data));
    }
    return store;
  }

  @Override
  protected StoreUri freshPrefix() {
    return StoreUri.of(data.resolve(UUID.randomUUID().toString())).asPrefix();
  }

  @Test
  void refusesALocationOutsideTheRoots() throws IOException {
    StoreUri elsewhere = StoreUri.of(outside.resolve("x.txt"));

    assertThatThrownBy(() -> store().put(elsewhere, bytes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the allowed directories")
        .hasMessageContaining(data.toRealPath().toString());
    assertThatThrownBy(() -> store().read(StoreUri.parse("file:///etc/passwd"), 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesASiblingDirectoryThatSharesTheRootsName() throws IOException {
    Path sibling = Path.of(data.toRealPath() + "b", "x.txt");

    assertThatThrownBy(() -> store().stat(StoreUri.of(sibling)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesToFollowASymbolicLinkOutOfTheRoots() throws IOException {
    Path link = Files.createSymbolicLink(data.resolve("escape"), outside);
    Files.writeString(outside.resolve("secret.txt"), "secret");

    assertThatThrownBy(() -> store().read(StoreUri.of(link.resolve("secret.txt")), 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().put(StoreUri.of(link.resolve("new/file.txt")), bytes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(outside.resolve("new")).doesNotExist();
  }

  @Test
  void refusesAnS3Location() {
    assertThatThrownBy(() -> store().stat(StoreUri.parse("s3://bucket/key")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void leavesNoTemporaryFilesBehindAndNeverListsThem() throws IOException {
    StoreUri dir = root.resolve("parts/");
    store().put(dir.resolve("part-1.jsonl"), bytes(4));
    store().putIfAbsent(dir.resolve("part-2.jsonl"), bytes(4));
    store().putIfAbsent(dir.resolve("part-2.jsonl"), bytes(5));
    Files.writeString(dir.toPath().resolve(LocalObjectStore.TEMP_PREFIX + "stale"), "junk");

    try (Stream<Path> files = Files.list(dir.toPath())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "part-1.jsonl", "part-2.jsonl", LocalObjectStore.TEMP_PREFIX + "stale");
    }
    assertThat(store().list(dir))
        .extracting(info -> info.uri().name())
        .containsExactly("part-1.jsonl", "part-2.jsonl");
  }

  @Test
  void streamsAListingInKeyOrderOneDirectoryAtATime() throws IOException {
    StoreUri dir = root.resolve("tree/");
    for (String key : List.of("a-b.txt", "a/z.txt", "a/b/c.txt", "a.txt", "b.txt", "z/x.txt")) {
      store().put(dir.resolve(key), bytes(1));
    }
    List<String> seen = new java.util.ArrayList<>();
    store()
        .forEachUnder(
            dir,
            info -> {
              if (seen.isEmpty()) {
                // written after the walk began, in a directory it has not reached: a listing
                // collected up front would miss it
                store().put(dir.resolve("z/y.txt"), bytes(1));
              }
              seen.add(info.uri().relativeTo(dir));
            });

    assertThat(seen)
        .containsExactly("a-b.txt", "a.txt", "a/b/c.txt", "a/z.txt", "b.txt", "z/x.txt", "z/y.txt")
        .isSorted();
  }

  @Test
  void acceptsARootThatDoesNotExistYet() throws IOException {
    Path later = data.resolve("later/root");
    LocalObjectStore fresh = new LocalObjectStore(List.of(later));
    StoreUri uri = StoreUri.of(later.resolve("x.txt"));

    fresh.put(uri, "x".getBytes(UTF_8));

    assertThat(Files.readString(later.resolve("x.txt"))).isEqualTo("x");
  }

  @Test
  void letsExactlyOneOfManyConcurrentWritersCreateAnObject() throws Exception {
    StoreUri uri = root.resolve("race/_SUCCESS");
    int writers = 16;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(writers);
    try {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
      for (int i = 0; i < writers; i++) {
        byte[] content = ("writer-" + i).getBytes(UTF_8);
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return store().putIfAbsent(uri, content);
                }));
      }
      start.countDown();
      int winners = 0;
      for (java.util.concurrent.Future<Boolean> result : results) {
        winners += result.get() ? 1 : 0;
      }

      assertThat(winners).isEqualTo(1);
      assertThat(read(uri, 0, 100)).startsWith("writer-");
      assertThat(store().list(root.resolve("race/"))).hasSize(1);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void readersNeverSeeAHalfWrittenObject() throws Exception {
    StoreUri uri = root.resolve("atomic.bin");
    byte[] a = new byte[256 * 1024];
    byte[] b = new byte[256 * 1024];
    java.util.Arrays.fill(a, (byte) 'a');
    java.util.Arrays.fill(b, (byte) 'b');
    store().put(uri, a);
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread writer =
        new Thread(
            () -> {
              for (int i = 0; i < 50; i++) {
                store().put(uri, i % 2 == 0 ? b : a);
              }
              done.set(true);
            },
            "atomic-writer");
    writer.start();
    while (!done.get()) {
      byte[] seen;
      try (java.io.InputStream in = store().read(uri, 0, Long.MAX_VALUE)) {
        seen = in.readAllBytes();
      }
      assertThat(seen).hasSize(a.length);
      assertThat(seen[0]).isEqualTo(seen[seen.length - 1]);
    }
    writer.join();
  }
}
