package dev.spotbatch.worker.config;

import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.worker.model.ModelCacheSettings;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Models brought by URI ({@code spotbatch.worker.model-cache.*}).
 *
 * @param dir the local cache; default {@code <model-cache-dir>/brought}
 * @param maxSize the cache's size (least recently used models are removed)
 * @param maxModelSize one model's files together may not be larger
 * @param roots the only locations models are fetched from; default: the allowed roots
 * @param maxLoaded brought models loaded in memory at once (least recently used are closed)
 */
@ConfigurationProperties("spotbatch.worker.model-cache")
public record ModelCacheProperties(
    Path dir,
    @DefaultValue("4GB") DataSize maxSize,
    @DefaultValue("2GB") DataSize maxModelSize,
    List<String> roots,
    @DefaultValue("2") int maxLoaded) {
  static final String ROOTS = "spotbatch.worker.model-cache.roots";

  public ModelCacheProperties {
    maxSize = maxSize == null ? DataSize.ofGigabytes(4) : maxSize;
    maxModelSize = maxModelSize == null ? DataSize.ofGigabytes(2) : maxModelSize;
    roots = roots == null ? List.of() : List.copyOf(roots);
    if (maxLoaded < 1) {
      throw new IllegalArgumentException(
          "spotbatch.worker.model-cache.max-loaded must be >= 1, was " + maxLoaded);
    }
  }

  /** The settings, defaulting the directory and the roots from the worker's. */
  ModelCacheSettings settings(WorkerProperties worker) {
    List<String> from = roots.isEmpty() ? worker.allowedRoots() : roots;
    return new ModelCacheSettings(
        dir == null ? worker.modelCacheDir().resolve("brought") : dir,
        maxSize.toBytes(),
        maxModelSize.toBytes(),
        StorageRoots.of(roots.isEmpty() ? "spotbatch.worker.allowed-roots" : ROOTS, from));
  }
}
