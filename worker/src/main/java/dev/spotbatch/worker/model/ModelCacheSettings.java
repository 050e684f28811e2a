package dev.spotbatch.worker.model;

import dev.spotbatch.store.StorageRoots;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how much the worker keeps of brought models.
 *
 * @param dir the cache directory (one sub-directory per model digest)
 * @param maxBytes the cache's size; least recently used models are removed to stay under it
 * @param maxModelBytes one model's files together may not be larger
 * @param roots the only locations models are fetched from
 */
public record ModelCacheSettings(Path dir, long maxBytes, long maxModelBytes, StorageRoots roots) {
  public ModelCacheSettings {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(roots, "roots");
    if (maxModelBytes < 1 || maxBytes < maxModelBytes) {
      throw new IllegalArgumentException(
          "model cache: max-model-bytes must be >= 1 and max-bytes >= max-model-bytes");
    }
  }
}
