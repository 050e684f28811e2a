package dev.spotbatch.jsonl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.model.ByteRange;
import dev.spotbatch.store.ObjectInfo;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.store.local.LocalObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The line-split rule of {@link LineRangeReader}, checked on random files and random splits. */
class LineRangeReaderTest {
  private static final int[] CHUNKS = {3, 7, 64, 1000, 1 << 20};

  @TempDir Path dir;
  private LocalObjectStore local;
  private CountingStore store;

  @BeforeEach
  void createStore() {
    local = new LocalObjectStore(List.of(dir));
    store = new CountingStore(local);
  }

  @Test
  void readsEveryNonBlankLineExactlyOnceAcrossAdjacentRanges() throws IOException {
    Random random = new Random(20260301);
    for (int round = 0; round < 150; round++) {
      byte[] content = randomFile(random);
      StoreUri uri = write("f" + round + ".jsonl", content);
      List<Expected> expected = expectedLines(content);

      List<Long> cuts = randomCuts(random, content.length);
      int chunk = CHUNKS[random.nextInt(CHUNKS.length)];
      List<Line> read = new ArrayList<>();
      for (int i = 0; i + 1 < cuts.size(); i++) {
        read.addAll(readAll(uri, new ByteRange(cuts.get(i), cuts.get(i + 1)), chunk));
      }

      assertThat(read)
          .as("round %d, cuts %s, chunk %d", round, cuts, chunk)
          .extracting(Line::offset)
          .containsExactlyElementsOf(expected.stream().map(Expected::offset).toList());
      for (int i = 0; i < read.size(); i++) {
        assertThat(new String(read.get(i).bytes(), UTF_8)).isEqualTo(expected.get(i).text());
        assertThat(read.get(i).next()).isEqualTo(expected.get(i).next());
      }
    }
  }

  @Test
  void continuesFromItsPositionWithExactlyTheRemainingLines() throws IOException {
    Random random = new Random(7);
    for (int round = 0; round < 150; round++) {
      byte[] content = randomFile(random);
      StoreUri uri = write("c" + round + ".jsonl", content);
      long start = random.nextInt(content.length + 1);
      long end = start + random.nextInt(content.length + 2 - (int) start);
      ByteRange range = new ByteRange(start, end);
      int chunk = CHUNKS[random.nextInt(CHUNKS.length)];
      List<Line> all = readAll(uri, range, chunk);

      int take = all.isEmpty() ? 0 : random.nextInt(all.size() + 1);
      List<Line> first = new ArrayList<>();
      long position;
      try (LineRangeReader reader = new LineRangeReader(store, uri, range, chunk)) {
        for (int i = 0; i < take; i++) {
          first.add(reader.next());
        }
        position = reader.position();
      }
      List<Line> rest = readAll(uri, range.from(position), chunk);

      List<Long> combined = new ArrayList<>();
      first.forEach(l -> combined.add(l.offset()));
      rest.forEach(l -> combined.add(l.offset()));
      assertThat(combined)
          .as("round %d, range %s, took %d, position %d", round, range, take, position)
          .containsExactlyElementsOf(all.stream().map(Line::offset).toList());
    }
  }

  @Test
  void positionStaysInsideTheRangeWhenTheLastLineEndsPastIt() throws IOException {
    StoreUri uri = write("long.jsonl", "{\"a\":1}\n{\"b\":22222222}\n{\"c\":3}\n".getBytes(UTF_8));
    ByteRange range = new ByteRange(0, 10);

    try (LineRangeReader reader = new LineRangeReader(store, uri, range)) {
      assertThat(reader.next().offset()).isEqualTo(0);
      assertThat(reader.next().offset()).isEqualTo(8);
      assertThat(reader.position()).isEqualTo(10);
      assertThat(range.from(reader.position()).isEmpty()).isTrue();
      assertThat(reader.next()).isNull();
      assertThat(reader.position()).isEqualTo(10);
    }
  }

  @Test
  void skipsBlankLinesAndStripsCarriageReturns() throws IOException {
    StoreUri uri = write("crlf.jsonl", "a\r\n\r\n  \t\r\nb\n\nc".getBytes(UTF_8));

    List<Line> lines = readAll(uri, new ByteRange(0, 100), 1 << 20);

    assertThat(lines).extracting(l -> new String(l.bytes(), UTF_8)).containsExactly("a", "b", "c");
    assertThat(lines).extracting(Line::offset).containsExactly(0L, 10L, 13L);
    assertThat(lines.get(2).next()).isEqualTo(14);
  }

  @Test
  void readsNothingFromARangePastTheEndOrEmpty() throws IOException {
    StoreUri uri = write("small.jsonl", "abc\ndef\n".getBytes(UTF_8));

    assertThat(readAll(uri, new ByteRange(50, 60), 64)).isEmpty();
    assertThat(readAll(uri, new ByteRange(3, 3), 64)).isEmpty();
    assertThat(readAll(uri, new ByteRange(4, 5), 64)).extracting(Line::offset).containsExactly(4L);
  }

  @Test
  void readsAboutItsOwnRangeNotTheWholeObject() throws IOException {
    byte[] content = "x".repeat(99).concat("\n").repeat(10_000).getBytes(UTF_8); // 1 MB
    StoreUri uri = write("big.jsonl", content);

    List<Line> lines = readAll(uri, new ByteRange(500_000, 510_000), 4096);

    assertThat(lines).hasSize(100);
    assertThat(store.bytesRead.get()).isLessThan(10_000 + 3 * 4096);
  }

  // --- helpers ---------------------------------------------------------------------------------

  private record Expected(long offset, long next, String text) {}

  private StoreUri write(String name, byte[] content) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, content);
    return StoreUri.of(file);
  }

  private List<Line> readAll(StoreUri uri, ByteRange range, int chunk) {
    List<Line> lines = new ArrayList<>();
    try (LineRangeReader reader = new LineRangeReader(store, uri, range, chunk)) {
      for (Line line = reader.next(); line != null; line = reader.next()) {
        lines.add(line);
      }
      assertThat(reader.next()).isNull();
    }
    return lines;
  }

  /** Lines of random length (some longer than the small chunks), blank lines, LF or CRLF. */
  private static byte[] randomFile(Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int lines = random.nextInt(40);
    for (int i = 0; i < lines; i++) {
      int kind = random.nextInt(10);
      String text;
      if (kind == 0) {
        text = "";
      } else if (kind == 1) {
        text = random.nextBoolean() ? "  " : "\t ";
      } else {
        int length = random.nextInt(10) == 0 ? 200 + random.nextInt(2000) : 1 + random.nextInt(60);
        StringBuilder b = new StringBuilder("{\"text\":\"");
        for (int c = 0; c < length; c++) {
          int r = random.nextInt(30);
          b.append(r == 0 ? 'é' : r == 1 ? '€' : (char) ('a' + r % 26));
        }
        text = b.append("\"}").toString();
      }
      out.writeBytes(text.getBytes(UTF_8));
      boolean last = i == lines - 1;
      if (!last || random.nextBoolean()) {
        out.writeBytes((random.nextInt(3) == 0 ? "\r\n" : "\n").getBytes(UTF_8));
      }
    }
    return out.toByteArray();
  }

  private static List<Expected> expectedLines(byte[] content) {
    List<Expected> lines = new ArrayList<>();
    int start = 0;
    while (start < content.length) {
      int nl = start;
      while (nl < content.length && content[nl] != '\n') {
        nl++;
      }
      int end = nl;
      if (end > start && content[end - 1] == '\r') {
        end--;
      }
      String text = new String(content, start, end - start, UTF_8);
      long next = Math.min(nl + 1, content.length);
      if (!text.replace(" ", "").replace("\t", "").isEmpty()) {
        lines.add(new Expected(start, next, text));
      }
      start = nl + 1;
    }
    return lines;
  }

  /** 0, some random cut points, and an end at or past the object's size. */
  private static List<Long> randomCuts(Random random, int size) {
    TreeSet<Long> cuts = new TreeSet<>();
    cuts.add(0L);
    int count = random.nextInt(8);
    for (int i = 0; i < count; i++) {
      cuts.add((long) random.nextInt(size + 1));
    }
    cuts.add((long) size + random.nextInt(3));
    return new ArrayList<>(cuts);
  }

  /** Counts bytes handed out, to check that a range reads about its own size. */
  private static final class CountingStore implements ObjectStore {
    private final ObjectStore delegate;
    final AtomicLong bytesRead = new AtomicLong();

    CountingStore(ObjectStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public InputStream read(StoreUri uri, long start, long end) {
      return new FilterInputStream(delegate.read(uri, start, end)) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            bytesRead.incrementAndGet();
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            bytesRead.addAndGet(n);
          }
          return n;
        }
      };
    }

    @Override
    public Optional<ObjectInfo> stat(StoreUri uri) {
      return delegate.stat(uri);
    }

    @Override
    public void put(StoreUri uri, Path file) {
      delegate.put(uri, file);
    }

    @Override
    public void put(StoreUri uri, byte[] bytes) {
      delegate.put(uri, bytes);
    }

    @Override
    public boolean putIfAbsent(StoreUri uri, byte[] bytes) {
      return delegate.putIfAbsent(uri, bytes);
    }

    @Override
    public List<ObjectInfo> list(StoreUri prefix) {
      return delegate.list(prefix);
    }

    @Override
    public void delete(StoreUri uri) {
      delegate.delete(uri);
    }
  }
}
