package dev.spotbatch.store.local;

import dev.spotbatch.store.ObjectInfo;
import dev.spotbatch.store.ObjectNotFoundException;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreException;
import dev.spotbatch.store.StoreUri;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The {@link ObjectStore} on local files, for {@code file://} locations inside a fixed set of
 * allowed root directories (in the embedded default: the data directory). A location outside the
 * roots, after normalisation and after resolving the symbolic links of its deepest existing
 * ancestor, is refused with {@link IllegalArgumentException}.
 *
 * <p>Writes are atomic: the bytes go to a temporary file ({@value #TEMP_PREFIX}...) in the target's
 * directory, are forced to disk, and are then renamed over the target ({@code put}) or hard-linked
 * to it ({@code putIfAbsent}, which fails if the target exists). Listings skip temporary files.
 * Thread-safe.
 */
public final class LocalObjectStore implements ObjectStore {
  /** Name prefix of temporary files; they are never listed. */
  public static final String TEMP_PREFIX = ".spotbatch-tmp-";

  private final List<Path> roots;

  /**
   * @param roots directories that locations must lie in; they need not exist yet
   */
  public LocalObjectStore(List<Path> roots) {
    Objects.requireNonNull(roots, "roots");
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("at least one allowed root directory is required");
    }
    List<Path> real = new ArrayList<>();
    for (Path root : roots) {
      real.add(realPath(root.toAbsolutePath().normalize()));
    }
    this.roots = List.copyOf(real);
  }

  /** The allowed roots, with their symbolic links resolved. */
  public List<Path> roots() {
    return roots;
  }

  @Override
  public InputStream read(StoreUri uri, long start, long end) {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("invalid range [" + start + "," + end + ")");
    }
    Path path = pathOf(uri);
    FileChannel channel;
    try {
      if (Files.isDirectory(path)) {
        throw new ObjectNotFoundException(uri + " is a directory, not an object");
      }
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException("no object at " + uri);
    } catch (AccessDeniedException e) {
      throw new ObjectNotFoundException("cannot read " + uri + ": permission denied");
    } catch (IOException e) {
      throw new StoreException("cannot open " + uri + ": " + e.getMessage(), e);
    }
    try {
      long size = channel.size();
      if (start >= size || start == end) {
        channel.close();
        return InputStream.nullInputStream();
      }
      channel.position(start);
      return new Bounded(Channels.newInputStream(channel), Math.min(end, size) - start);
    } catch (IOException e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new StoreException("cannot read " + uri + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<ObjectInfo> stat(StoreUri uri) {
    Path path = pathOf(uri);
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      return attributes.isRegularFile()
          ? Optional.of(new ObjectInfo(uri, attributes.size()))
          : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreException("cannot stat " + uri + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void put(StoreUri uri, Path file) {
    Path target = pathOf(uri);
    Path temp = null;
    try {
      temp = tempFor(target);
      Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
      force(temp);
      moveIntoPlace(temp, target);
      temp = null;
    } catch (NoSuchFileException e) {
      throw new StoreException("cannot put " + uri + ": no such file " + e.getFile(), e);
    } catch (IOException e) {
      throw new StoreException("cannot put " + uri + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(temp);
    }
  }

  @Override
  public void put(StoreUri uri, byte[] bytes) {
    Path target = pathOf(uri);
    Path temp = null;
    try {
      temp = writeTemp(target, bytes);
      moveIntoPlace(temp, target);
      temp = null;
    } catch (IOException e) {
      throw new StoreException("cannot put " + uri + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(temp);
    }
  }

  @Override
  public boolean putIfAbsent(StoreUri uri, byte[] bytes) {
    Path target = pathOf(uri);
    Path temp = null;
    try {
      temp = writeTemp(target, bytes);
      try {
        // atomic: creating the link fails if the target exists
        Files.createLink(target, temp);
      } catch (UnsupportedOperationException e) {
        // no hard links here: a rename without replace is the closest we have
        Files.move(temp, target);
        temp = null;
      }
      syncDirectory(target.getParent());
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new StoreException("cannot put " + uri + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(temp);
    }
  }

  @Override
  public List<ObjectInfo> list(StoreUri prefix) {
    List<ObjectInfo> found = new ArrayList<>();
    forEachUnder(prefix, found::add);
    return found;
  }

  /**
   * Hands over the objects under {@code prefix} in key order as the walk finds them, holding one
   * directory's entries per level rather than the whole listing (a planner walks 100,000 files in
   * bounded memory). A directory sorts as its name + "/", which is where its keys sort.
   */
  @Override
  public void forEachUnder(StoreUri prefix, Consumer<ObjectInfo> each) {
    Path base = pathOf(prefix);
    try {
      if (!Files.exists(base, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      if (Files.isRegularFile(base, LinkOption.NOFOLLOW_LINKS)) {
        if (!prefix.isPrefix() && !base.getFileName().toString().startsWith(TEMP_PREFIX)) {
          each.accept(new ObjectInfo(prefix, Files.size(base)));
        }
        return;
      }
      walkInKeyOrder(base, each);
    } catch (IOException e) {
      throw new StoreException("cannot list " + prefix + ": " + e.getMessage(), e);
    }
  }

  private record Entry(String key, Path path, BasicFileAttributes attributes) {}

  private static void walkInKeyOrder(Path dir, Consumer<ObjectInfo> each) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path path : stream) {
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          continue; // removed while we walked
        }
        String name = path.getFileName().toString();
        if (a.isDirectory()) {
          entries.add(new Entry(name + "/", path, a));
        } else if (a.isRegularFile() && !name.startsWith(TEMP_PREFIX)) {
          entries.add(new Entry(name, path, a));
        }
      }
    } catch (NoSuchFileException e) {
      return; // removed while we walked
    }
    entries.sort(Comparator.comparing(Entry::key));
    for (Entry e : entries) {
      if (e.attributes().isDirectory()) {
        walkInKeyOrder(e.path(), each);
      } else {
        each.accept(new ObjectInfo(StoreUri.of(e.path()), e.attributes().size()));
      }
    }
  }

  @Override
  public void delete(StoreUri uri) {
    Path path = pathOf(uri);
    try {
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalArgumentException(uri + " is a directory, not an object");
      }
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new StoreException("cannot delete " + uri + ": " + e.getMessage(), e);
    }
  }

  /**
   * The local path of a location, checked against the roots.
   *
   * @throws IllegalArgumentException if it is not a file location or lies outside every root
   */
  Path pathOf(StoreUri uri) {
    Objects.requireNonNull(uri, "uri");
    if (!StoreUri.FILE.equals(uri.scheme())) {
      throw new IllegalArgumentException("the local store reads file:/// locations, not " + uri);
    }
    Path path = uri.toPath().normalize();
    Path real = realPath(path);
    for (Path root : roots) {
      if (real.startsWith(root)) {
        return path;
      }
    }
    throw new IllegalArgumentException(
        uri
            + " is outside the allowed directories "
            + roots.stream().map(Path::toString).collect(Collectors.joining(", ", "[", "]")));
  }

  /** Resolves the symbolic links of the deepest existing ancestor and appends the rest. */
  private static Path realPath(Path absolute) {
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    try {
      Path real = existing.toRealPath();
      return real.resolve(existing.relativize(absolute)).normalize();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + absolute + ": " + e.getMessage(), e);
    }
  }

  private static Path tempFor(Path target) throws IOException {
    Path dir = target.getParent();
    Files.createDirectories(dir);
    String name = target.getFileName().toString();
    // keep the temporary name within the usual 255-byte limit
    String stem = name.length() > 100 ? name.substring(0, 100) : name;
    return dir.resolve(TEMP_PREFIX + stem + "-" + UUID.randomUUID());
  }

  private static Path writeTemp(Path target, byte[] bytes) throws IOException {
    Path temp = tempFor(target);
    try (FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw e;
    }
    return temp;
  }

  private static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + target + " cannot rename atomically", e);
    }
    syncDirectory(target.getParent());
  }

  /** Makes a rename durable; best effort, since not every platform can open a directory. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort
    }
  }

  private static void deleteQuietly(Path temp) {
    if (temp != null) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // a leftover temp file is never listed
      }
    }
  }

  /** Reads at most {@code remaining} bytes, then reports end of stream. */
  private static final class Bounded extends FilterInputStream {
    private long remaining;

    Bounded(InputStream in, long remaining) {
      super(in);
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(Math.min(n, remaining));
      remaining -= skipped;
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(super.available(), remaining);
    }
  }
}
