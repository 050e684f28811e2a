package dev.spotbatch.dispatcher.job;

import dev.spotbatch.store.StorageRoots;
import java.util.Objects;

/**
 * Where jobs may bring models from, and how large they may be.
 *
 * @param roots the model roots
 * @param maxModelBytes a model's files together may not be larger (as the workers' cache allows)
 */
public record ModelLocationPolicy(StorageRoots roots, long maxModelBytes) {
  public static final long DEFAULT_MAX_MODEL_BYTES = 2L * JobLimits.GIB;

  public ModelLocationPolicy {
    Objects.requireNonNull(roots, "roots");
    if (maxModelBytes < 1) {
      throw new IllegalArgumentException("maxModelBytes must be >= 1");
    }
  }
}
