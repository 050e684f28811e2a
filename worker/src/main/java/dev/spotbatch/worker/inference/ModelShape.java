package dev.spotbatch.worker.inference;

/**
 * What differs between ONNX text models that {@link OnnxEmbeddingModel} runs.
 *
 * @param dimensions the vector length, or 0 to learn it from a probe run
 * @param maxLength tokens per text; longer texts are truncated
 * @param mode how the output becomes one vector per text
 * @param normalize L2-normalise each vector (embeddings)
 * @param output the name of the output to read, or null for the first
 */
public record ModelShape(
    int dimensions, int maxLength, OutputMode mode, boolean normalize, String output) {
  public ModelShape {
    if (dimensions < 0 || maxLength < 1 || mode == null) {
      throw new IllegalArgumentException("dimensions >= 0, maxLength >= 1 and a mode are needed");
    }
  }

  /** A mean-pooled, normalised sentence embedder (the built-in shape). */
  public static ModelShape meanPooled(int dimensions, int maxLength) {
    return new ModelShape(dimensions, maxLength, OutputMode.MEAN, true, null);
  }
}
