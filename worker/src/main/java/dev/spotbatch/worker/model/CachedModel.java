package dev.spotbatch.worker.model;

import dev.spotbatch.task.ModelDescriptor;
import java.nio.file.Path;

/**
 * A brought model's files on local disk, verified against its descriptor.
 *
 * @param dir the directory holding the files and the descriptor
 * @param descriptor what the descriptor says
 * @param digest the descriptor's digest, which names the directory
 */
public record CachedModel(Path dir, ModelDescriptor descriptor, String digest) {
  public Path modelFile() {
    return dir.resolve(descriptor.model());
  }

  public Path tokenizerFile() {
    return dir.resolve(descriptor.tokenizer());
  }
}
