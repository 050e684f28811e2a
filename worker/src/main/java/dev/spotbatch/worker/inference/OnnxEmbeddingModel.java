package dev.spotbatch.worker.inference;

import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A sentence-embedding ONNX model run by DJL's ONNX Runtime engine, with a HuggingFace tokenizer.
 * Thread-safe: the loaded model is shared, and each {@link #embed} call borrows a {@link Predictor}
 * (not thread-safe) from a pool, so no predictor is ever used by two threads at once; with N
 * inference threads the pool holds N predictors.
 */
public class OnnxEmbeddingModel implements EmbeddingModel {
  static {
    Djl.offline();
  }

  private final String name;
  private final int dimensions;
  private final HuggingFaceTokenizer tokenizer;
  private final ZooModel<String[], float[][]> model;
  private final ConcurrentLinkedDeque<Predictor<String[], float[][]>> predictors =
      new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  /**
   * Loads a model.
   *
   * @param onnxFile the {@code .onnx} file
   * @param tokenizerFile the HuggingFace {@code tokenizer.json}
   * @param maxLength tokens per text; longer texts are truncated
   * @param intraOpThreads ONNX Runtime intra-op threads per inference call
   */
  public OnnxEmbeddingModel(
      String name,
      Path onnxFile,
      Path tokenizerFile,
      int dimensions,
      int maxLength,
      int intraOpThreads,
      boolean withTokenTypes) {
    this(
        name,
        onnxFile,
        tokenizerFile,
        dimensions,
        maxLength,
        intraOpThreads,
        withTokenTypes,
        InferenceDevice.cpu());
  }

  /**
   * Loads a model onto a device: on a GPU, DJL adds ONNX Runtime's CUDA execution provider.
   *
   * @param device where the model runs (see {@link InferenceDevice#select})
   */
  public OnnxEmbeddingModel(
      String name,
      Path onnxFile,
      Path tokenizerFile,
      int dimensions,
      int maxLength,
      int intraOpThreads,
      boolean withTokenTypes,
      InferenceDevice device) {
    this.name = name;
    this.dimensions = dimensions;
    try {
      this.tokenizer =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(tokenizerFile)
              .optPadding(true)
              .optTruncation(true)
              .optMaxLength(maxLength)
              .build();
      this.model =
          Criteria.builder()
              .setTypes(String[].class, float[][].class)
              .optModelPath(onnxFile)
              .optEngine("OnnxRuntime")
              .optDevice(device.djl())
              .optOption("intraOpNumThreads", Integer.toString(intraOpThreads))
              .optOption("interOpNumThreads", "1")
              .optTranslator(new TextEmbeddingTranslator(tokenizer, withTokenTypes))
              .build()
              .loadModel();
    } catch (IOException | ModelNotFoundException | MalformedModelException e) {
      throw new ModelException("cannot load model " + name + " from " + onnxFile + ": " + e, e);
    }
  }

  @Override
  public float[][] embed(List<String> texts) {
    if (texts.isEmpty()) {
      return new float[0][];
    }
    if (closed) {
      throw new ModelException("model " + name + " is closed");
    }
    Predictor<String[], float[][]> predictor = predictors.pollFirst();
    if (predictor == null) {
      predictor = model.newPredictor();
    }
    try {
      return predictor.predict(texts.toArray(new String[0]));
    } catch (TranslateException | RuntimeException e) {
      throw new ModelException(
          "model " + name + " failed on a batch of " + texts.size() + ": " + e, e);
    } finally {
      predictors.offerFirst(predictor);
    }
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void close() {
    closed = true;
    Predictor<String[], float[][]> p;
    while ((p = predictors.pollFirst()) != null) {
      p.close();
    }
    model.close();
    tokenizer.close();
  }
}
