package dev.spotbatch.worker.inference;

import java.util.List;

/**
 * The model port: turns texts into fixed-size embeddings. Implementations say whether they are
 * thread-safe; {@link MiniLmOnnxModel} is (each call borrows a predictor no other thread uses).
 */
public interface EmbeddingModel extends AutoCloseable {

  /** One embedding per text, in the order given. */
  float[][] embed(List<String> texts);

  /** Length of every embedding. */
  int dimensions();

  /** The registry name of this model. */
  String name();

  @Override
  void close();
}
