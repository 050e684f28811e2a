package dev.spotbatch.worker.model;

import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.task.ModelDescriptor;
import dev.spotbatch.task.ModelLocations;
import dev.spotbatch.task.ModelProblemException;
import dev.spotbatch.task.ModelRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches brought models into a bounded local directory, once per digest: checks the location is
 * under the model roots, that the descriptor still has the digest the job was submitted with, that
 * every file has the size limit and the SHA-256 the descriptor lists; a model is moved into place
 * only once complete, so a crash leaves no half model behind. Models least recently used are
 * removed to keep the cache under its size (not those in {@code inUse}). Thread-safe: fetches of
 * one digest are serialised.
 */
public final class ModelCache {
  private static final Logger log = LoggerFactory.getLogger(ModelCache.class);
  private static final String COMPLETE = ".complete";

  private final ObjectStore store;
  private final ModelCacheSettings settings;
  private final Clock clock;
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();
  private final Set<String> inUse = ConcurrentHashMap.newKeySet();

  public ModelCache(ObjectStore store, ModelCacheSettings settings, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * The model's verified files, fetched if not cached yet.
   *
   * @throws ModelProblemException if the model cannot be used (outside the roots, changed since the
   *     job was submitted, a missing file, a wrong checksum, too large)
   */
  public CachedModel fetch(ModelRef ref) {
    if (!ref.brought()) {
      throw new IllegalArgumentException("not a brought model: " + ref.name());
    }
    String hex = ref.digest().substring("sha256:".length());
    Path dir = settings.dir().resolve(hex);
    synchronized (locks.computeIfAbsent(hex, k -> new Object())) {
      inUse.add(hex);
      Path marker = dir.resolve(COMPLETE);
      if (Files.isRegularFile(marker)) {
        touch(marker);
        byte[] bytes = readLocal(dir.resolve(ModelDescriptor.FILE));
        return new CachedModel(
            dir, ModelLocations.parse(bytes, StoreUri.of(dir).asPrefix()), ref.digest());
      }
      return download(ref, dir);
    }
  }

  /** The model may be evicted again (its batcher closed). */
  public void release(ModelRef ref) {
    if (ref.brought()) {
      inUse.remove(ref.digest().substring("sha256:".length()));
    }
  }

  private CachedModel download(ModelRef ref, Path dir) {
    ModelLocations.Inspected at =
        ModelLocations.inspect(store, settings.roots(), ref.uri(), settings.maxModelBytes());
    if (!at.digest().equals(ref.digest())) {
      throw new ModelProblemException(
          "the model at "
              + ref.uri()
              + " changed since the job was submitted (descriptor "
              + at.digest()
              + ", job "
              + ref.digest()
              + "); submit the job again to use the new model");
    }
    evictFor(at.bytes());
    Path tmp = null;
    try {
      Files.createDirectories(settings.dir());
      tmp = Files.createTempDirectory(settings.dir(), "fetch-");
      ModelDescriptor d = at.descriptor();
      for (String file : d.files()) {
        fetchFile(at.location().resolve(file), tmp.resolve(file), d.sha256().get(file));
      }
      Files.write(tmp.resolve(ModelDescriptor.FILE), descriptorBytes(at));
      Files.createFile(tmp.resolve(COMPLETE));
      deleteTree(dir); // a partial directory from a crash
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
      log.info(
          "model {} ({}) fetched from {}: {} bytes", d.name(), ref.digest(), ref.uri(), at.bytes());
      return new CachedModel(dir, d, ref.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cache model " + ref.uri() + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        deleteTree(tmp);
      }
    }
  }

  private byte[] descriptorBytes(ModelLocations.Inspected at) {
    byte[] bytes = ModelLocations.read(store, at.location().resolve(ModelDescriptor.FILE));
    if (!ModelLocations.digest(bytes).equals(at.digest())) {
      throw new ModelProblemException(
          "the descriptor at " + at.location() + " changed while fetched");
    }
    return bytes;
  }

  private void fetchFile(StoreUri from, Path to, String sha256) throws IOException {
    long size =
        store
            .stat(from)
            .orElseThrow(() -> new ModelProblemException("model file missing: " + from))
            .size();
    if (size > settings.maxModelBytes()) {
      throw new ModelProblemException(
          from + " is " + size + " bytes; a model may have " + settings.maxModelBytes());
    }
    MessageDigest digest = ModelLocations.sha256();
    try (InputStream in = new DigestInputStream(store.read(from, 0, size), digest);
        OutputStream out = Files.newOutputStream(to)) {
      in.transferTo(out);
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(sha256)) {
      throw new ModelProblemException(
          "checksum of "
              + from
              + " is "
              + actual
              + " but the descriptor says "
              + sha256
              + "; upload the file again or fix its sha256");
    }
  }

  /** Removes least recently used models (not in use) until {@code incoming} bytes fit. */
  private void evictFor(long incoming) {
    List<Path> dirs = new ArrayList<>();
    long total = 0;
    try (DirectoryStream<Path> all = Files.newDirectoryStream(settings.dir())) {
      for (Path d : all) {
        if (Files.isRegularFile(d.resolve(COMPLETE))) {
          dirs.add(d);
          total += size(d);
        }
      }
    } catch (IOException e) {
      return; // no cache directory yet
    }
    dirs.sort(Comparator.comparing(ModelCache::lastUsed));
    for (Path d : dirs) {
      if (total + incoming <= settings.maxBytes()) {
        return;
      }
      if (inUse.contains(d.getFileName().toString())) {
        continue;
      }
      long freed = size(d);
      deleteTree(d);
      total -= freed;
      log.info("model cache: evicted {} ({} bytes), least recently used", d.getFileName(), freed);
    }
  }

  private void touch(Path marker) {
    try {
      Files.setLastModifiedTime(marker, FileTime.from(clock.instant()));
    } catch (IOException e) {
      log.debug("cannot touch {}: {}", marker, e.toString());
    }
  }

  private static FileTime lastUsed(Path dir) {
    try {
      return Files.getLastModifiedTime(dir.resolve(COMPLETE));
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static long size(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(ModelCache::fileSize).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  private static long fileSize(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static byte[] readLocal(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(ModelCache::deleteQuietly);
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", dir, e.toString());
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", p, e.toString());
    }
  }
}
