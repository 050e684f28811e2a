package dev.spotbatch.worker.inference;

import java.util.List;

/**
 * The model port: turns texts into fixed-size vectors (embeddings, or a classifier's label
 * probabilities). Implementations say whether they are thread-safe; {@link MiniLmOnnxModel} is
 * (each call borrows a predictor no other thread uses).
 */
public interface EmbeddingModel extends AutoCloseable {

  /** One embedding per text, in the order given. */
  float[][] embed(List<String> texts);

  /** Length of every embedding. */
  int dimensions();

  /** The registry name of this model. */
  String name();

  /** The tokenizer file the model reads, if it has one on disk (the chunk task counts with it). */
  default java.nio.file.Path tokenizerFile() {
    return null;
  }

  /** Tokens per text the model reads; longer texts are truncated. */
  default int maxLength() {
    return Integer.MAX_VALUE;
  }

  /** What goes before each text given as {@code input} ({@code passage}, {@code query}). */
  default String prefix(String input) {
    return "";
  }

  /** The label of each vector position, for a classification model; empty otherwise. */
  default List<String> labels() {
    return List.of();
  }

  @Override
  void close();
}
