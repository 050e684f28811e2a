package dev.spotbatch.worker.model;

import dev.spotbatch.task.ModelDescriptor;
import dev.spotbatch.worker.inference.EmbeddingModel;
import java.nio.file.Path;
import java.util.List;

/**
 * A loaded brought model with what its descriptor adds: the prefixes and the labels. Releases its
 * place in the cache when closed.
 */
final class BroughtModel implements EmbeddingModel {
  private final EmbeddingModel loaded;
  private final ModelDescriptor descriptor;
  private final Runnable onClose;

  BroughtModel(EmbeddingModel loaded, ModelDescriptor descriptor, Runnable onClose) {
    this.loaded = loaded;
    this.descriptor = descriptor;
    this.onClose = onClose;
  }

  @Override
  public float[][] embed(List<String> texts) {
    return loaded.embed(texts);
  }

  @Override
  public int dimensions() {
    return loaded.dimensions();
  }

  @Override
  public String name() {
    return descriptor.name();
  }

  @Override
  public Path tokenizerFile() {
    return loaded.tokenizerFile();
  }

  @Override
  public int maxLength() {
    return loaded.maxLength();
  }

  @Override
  public String prefix(String input) {
    return descriptor.prefix(input);
  }

  @Override
  public List<String> labels() {
    return descriptor.labels();
  }

  @Override
  public void close() {
    try {
      loaded.close();
    } finally {
      onClose.run();
    }
  }
}
