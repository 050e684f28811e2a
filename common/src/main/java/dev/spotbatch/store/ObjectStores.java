package dev.spotbatch.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Routes each call to the store for the URI's scheme ({@code s3} or {@code file}). */
public final class ObjectStores implements ObjectStore {
  private final Map<String, ObjectStore> byScheme;

  public ObjectStores(Map<String, ObjectStore> byScheme) {
    this.byScheme = Map.copyOf(byScheme);
  }

  private ObjectStore of(StoreUri uri) {
    ObjectStore store = byScheme.get(uri.scheme());
    if (store == null) {
      throw new StoreException(
          "no object store is configured for " + uri.scheme() + ":// locations (" + uri + ")");
    }
    return store;
  }

  @Override
  public InputStream read(StoreUri uri, long start, long end) {
    return of(uri).read(uri, start, end);
  }

  @Override
  public Optional<ObjectInfo> stat(StoreUri uri) {
    return of(uri).stat(uri);
  }

  @Override
  public void put(StoreUri uri, Path file) {
    of(uri).put(uri, file);
  }

  @Override
  public void put(StoreUri uri, byte[] bytes) {
    of(uri).put(uri, bytes);
  }

  @Override
  public boolean putIfAbsent(StoreUri uri, byte[] bytes) {
    return of(uri).putIfAbsent(uri, bytes);
  }

  @Override
  public List<ObjectInfo> list(StoreUri prefix) {
    return of(prefix).list(prefix);
  }

  @Override
  public void forEachUnder(StoreUri prefix, Consumer<ObjectInfo> each) {
    of(prefix).forEachUnder(prefix, each); // the default would collect the whole listing first
  }

  @Override
  public void delete(StoreUri uri) {
    of(uri).delete(uri);
  }
}
