package dev.spotbatch.dispatcher.job;

import dev.spotbatch.store.ObjectInfo;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** An {@link ObjectStore} that counts each kind of call before handing it to a real store. */
final class CountingObjectStore implements ObjectStore {
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger stats = new AtomicInteger();
  final AtomicInteger lists = new AtomicInteger();
  final AtomicInteger streamedListings = new AtomicInteger();
  final AtomicInteger writes = new AtomicInteger();
  private final ObjectStore real;

  CountingObjectStore(ObjectStore real) {
    this.real = real;
  }

  @Override
  public InputStream read(StoreUri uri, long start, long end) {
    reads.incrementAndGet();
    return real.read(uri, start, end);
  }

  @Override
  public Optional<ObjectInfo> stat(StoreUri uri) {
    stats.incrementAndGet();
    return real.stat(uri);
  }

  @Override
  public void put(StoreUri uri, Path file) {
    writes.incrementAndGet();
    real.put(uri, file);
  }

  @Override
  public void put(StoreUri uri, byte[] bytes) {
    writes.incrementAndGet();
    real.put(uri, bytes);
  }

  @Override
  public boolean putIfAbsent(StoreUri uri, byte[] bytes) {
    writes.incrementAndGet();
    return real.putIfAbsent(uri, bytes);
  }

  @Override
  public List<ObjectInfo> list(StoreUri prefix) {
    lists.incrementAndGet();
    return real.list(prefix);
  }

  @Override
  public void forEachUnder(StoreUri prefix, Consumer<ObjectInfo> each) {
    streamedListings.incrementAndGet();
    real.forEachUnder(prefix, each);
  }

  @Override
  public void delete(StoreUri uri) {
    writes.incrementAndGet();
    real.delete(uri);
  }
}
