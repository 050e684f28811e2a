package dev.spotbatch.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The object store port. Writes are atomic: a reader sees the whole object or none of it. Adapters
 * retry transient errors themselves; {@link ObjectNotFoundException} is never retried.
 */
public interface ObjectStore {

  /**
   * Reads bytes {@code [start, end)} of an object; {@code end} past the object's size reads to its
   * end. The caller closes the stream (closing early is allowed and cheap).
   *
   * @throws ObjectNotFoundException if the object does not exist
   */
  InputStream read(StoreUri uri, long start, long end);

  /** Size of an object, or empty if it does not exist. */
  Optional<ObjectInfo> stat(StoreUri uri);

  /** Writes a local file as the object, atomically, replacing any previous version. */
  void put(StoreUri uri, Path file);

  /** Writes bytes as the object, atomically, replacing any previous version. */
  void put(StoreUri uri, byte[] bytes);

  /**
   * Writes bytes as the object only if no object exists there yet.
   *
   * @return true if this call created the object
   */
  boolean putIfAbsent(StoreUri uri, byte[] bytes);

  /** All objects under a prefix (recursively), sorted by key. Paged internally. */
  List<ObjectInfo> list(StoreUri prefix);

  /**
   * Hands every object under a prefix (recursively) to {@code each}, in the adapter's listing
   * order, without holding the whole listing: a caller that keeps only what it needs plans millions
   * of objects in bounded memory. The order is stable for an unchanged prefix. This default
   * collects {@link #list} first; an adapter whose listing is paged streams it page by page.
   */
  default void forEachUnder(StoreUri prefix, Consumer<ObjectInfo> each) {
    list(prefix).forEach(each);
  }

  /** Deletes an object; deleting a missing object is not an error. */
  void delete(StoreUri uri);
}
