package dev.spotbatch.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.store.ObjectInfo;
import dev.spotbatch.store.ObjectNotFoundException;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ObjectStore} adapter must show. A subclass provides the store and a
 * fresh, empty prefix for each test.
 */
public abstract class ObjectStoreContract {

  /** The store under test. */
  protected abstract ObjectStore store();

  /** A fresh, empty prefix (ending in {@code /}) that this test may write under. */
  protected abstract StoreUri freshPrefix();

  @TempDir protected Path scratch;

  protected StoreUri root;

  @BeforeEach
  void pickPrefix() {
    root = freshPrefix();
  }

  @Test
  void readsBackWhatWasPut() throws IOException {
    StoreUri uri = root.resolve("a/b.jsonl");
    store().put(uri, "hello world".getBytes(UTF_8));

    assertThat(read(uri, 0, 11)).isEqualTo("hello world");
    assertThat(store().stat(uri)).contains(new ObjectInfo(uri, 11));
  }

  @Test
  void readsAByteRange() throws IOException {
    StoreUri uri = root.resolve("range.txt");
    store().put(uri, "0123456789".getBytes(UTF_8));

    assertThat(read(uri, 2, 5)).isEqualTo("234");
    assertThat(read(uri, 0, 1)).isEqualTo("0");
    assertThat(read(uri, 9, 10)).isEqualTo("9");
  }

  @Test
  void readsToTheEndWhenTheRangeEndsPastIt() throws IOException {
    StoreUri uri = root.resolve("short.txt");
    store().put(uri, "abcdef".getBytes(UTF_8));

    assertThat(read(uri, 3, 1_000_000)).isEqualTo("def");
  }

  @Test
  void readsNothingWhenTheRangeStartsAtOrPastTheEnd() throws IOException {
    StoreUri uri = root.resolve("short.txt");
    store().put(uri, "abcdef".getBytes(UTF_8));

    assertThat(read(uri, 6, 100)).isEmpty();
    assertThat(read(uri, 50, 100)).isEmpty();
    assertThat(read(uri, 2, 2)).isEmpty();
  }

  @Test
  void readsNothingFromAnEmptyObject() throws IOException {
    StoreUri uri = root.resolve("empty.txt");
    store().put(uri, new byte[0]);

    assertThat(read(uri, 0, 10)).isEmpty();
    assertThat(store().stat(uri)).contains(new ObjectInfo(uri, 0));
  }

  @Test
  void reportsAMissingObjectOnRead() {
    StoreUri uri = root.resolve("missing.txt");

    assertThatThrownBy(() -> store().read(uri, 0, 10)).isInstanceOf(ObjectNotFoundException.class);
    assertThat(store().stat(uri)).isEmpty();
  }

  @Test
  void putReplacesThePreviousVersion() throws IOException {
    StoreUri uri = root.resolve("replace.txt");
    store().put(uri, "first version".getBytes(UTF_8));
    store().put(uri, "second".getBytes(UTF_8));

    assertThat(read(uri, 0, 100)).isEqualTo("second");
  }

  @Test
  void putsALocalFile() throws IOException {
    Path file = scratch.resolve("part.jsonl");
    Files.writeString(file, "{\"id\":1}\n{\"id\":2}\n");
    StoreUri uri = root.resolve("out/part.jsonl");

    store().put(uri, file);

    assertThat(read(uri, 0, 1000)).isEqualTo("{\"id\":1}\n{\"id\":2}\n");
  }

  @Test
  void putIfAbsentCreatesOnlyOnce() throws IOException {
    StoreUri uri = root.resolve("_SUCCESS");

    assertThat(store().putIfAbsent(uri, "winner".getBytes(UTF_8))).isTrue();
    assertThat(store().putIfAbsent(uri, "loser".getBytes(UTF_8))).isFalse();

    assertThat(read(uri, 0, 100)).isEqualTo("winner");
  }

  @Test
  void listsEverythingUnderAPrefixSortedByKey() {
    store().put(root.resolve("docs/b.jsonl"), bytes(2));
    store().put(root.resolve("docs/a.jsonl"), bytes(1));
    store().put(root.resolve("docs/sub/c.jsonl"), bytes(3));
    store().put(root.resolve("docs2/x.jsonl"), bytes(4));
    store().put(root.resolve("other.jsonl"), bytes(5));

    List<ObjectInfo> listed = store().list(root.resolve("docs/"));

    assertThat(listed)
        .containsExactly(
            new ObjectInfo(root.resolve("docs/a.jsonl"), 1),
            new ObjectInfo(root.resolve("docs/b.jsonl"), 2),
            new ObjectInfo(root.resolve("docs/sub/c.jsonl"), 3));
  }

  @Test
  void streamsTheSameObjectsAsItLists() {
    store().put(root.resolve("docs/b.jsonl"), bytes(2));
    store().put(root.resolve("docs/a.jsonl"), bytes(1));
    store().put(root.resolve("docs/sub/c.jsonl"), bytes(3));
    store().put(root.resolve("docs2/x.jsonl"), bytes(4));

    List<ObjectInfo> streamed = new java.util.ArrayList<>();
    store().forEachUnder(root.resolve("docs/"), streamed::add);

    assertThat(streamed).containsExactlyElementsOf(store().list(root.resolve("docs/")));
  }

  @Test
  void listsAPrefixWithoutSlashSegmentWise() {
    store().put(root.resolve("docs/a.jsonl"), bytes(1));
    store().put(root.resolve("docs2/x.jsonl"), bytes(4));

    assertThat(store().list(root.resolve("docs")))
        .containsExactly(new ObjectInfo(root.resolve("docs/a.jsonl"), 1));
  }

  @Test
  void listsASingleObjectByItsName() {
    store().put(root.resolve("one.jsonl"), bytes(7));
    store().put(root.resolve("one.jsonl.bak"), bytes(1));

    assertThat(store().list(root.resolve("one.jsonl")))
        .containsExactly(new ObjectInfo(root.resolve("one.jsonl"), 7));
  }

  @Test
  void listsNothingUnderAMissingPrefix() {
    assertThat(store().list(root.resolve("nothing/here/"))).isEmpty();
  }

  @Test
  void deletesAnObjectAndToleratesAMissingOne() {
    StoreUri uri = root.resolve("gone.txt");
    store().put(uri, bytes(3));

    store().delete(uri);
    store().delete(uri);

    assertThat(store().stat(uri)).isEmpty();
    assertThat(store().list(root)).isEmpty();
  }

  protected String read(StoreUri uri, long start, long end) throws IOException {
    try (InputStream in = store().read(uri, start, end)) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  protected static byte[] bytes(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) ('a' + i % 26);
    }
    return bytes;
  }
}
