package dev.spotbatch.worker.testing;

import dev.spotbatch.store.ObjectInfo;
import dev.spotbatch.store.ObjectNotFoundException;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreException;
import dev.spotbatch.store.StoreUri;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A test double of the {@link ObjectStore} port held in a map, that can be told to fail puts. Not a
 * replacement for the real adapters (LocalObjectStore, S3ObjectStore), which tests use where the
 * behaviour of a real store matters.
 */
public final class MemoryObjectStore implements ObjectStore {
  private final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();
  public volatile boolean failPuts;

  /** When set, every call fails as an unreachable store does (after the adapter's retries). */
  public volatile boolean down;

  public void add(StoreUri uri, String content) {
    objects.put(uri.toString(), content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public Optional<String> text(StoreUri uri) {
    byte[] b = objects.get(uri.toString());
    return b == null
        ? Optional.empty()
        : Optional.of(new String(b, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public InputStream read(StoreUri uri, long start, long end) {
    checkUp(uri);
    byte[] b = objects.get(uri.toString());
    if (b == null) {
      throw new ObjectNotFoundException(uri + " does not exist");
    }
    int from = (int) Math.min(start, b.length);
    int to = (int) Math.min(end, b.length);
    return new ByteArrayInputStream(Arrays.copyOfRange(b, from, to));
  }

  @Override
  public Optional<ObjectInfo> stat(StoreUri uri) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void put(StoreUri uri, Path file) {
    try {
      put(uri, Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void put(StoreUri uri, byte[] bytes) {
    checkUp(uri);
    if (failPuts) {
      throw new StoreException("put refused (test)");
    }
    objects.put(uri.toString(), bytes.clone());
  }

  @Override
  public boolean putIfAbsent(StoreUri uri, byte[] bytes) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<ObjectInfo> list(StoreUri prefix) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void delete(StoreUri uri) {
    objects.remove(uri.toString());
  }

  private void checkUp(StoreUri uri) {
    if (down) {
      throw new StoreException(
          "PutObject " + uri + " failed: unreachable (test)",
          new java.net.ConnectException("Connection refused"));
    }
  }
}
