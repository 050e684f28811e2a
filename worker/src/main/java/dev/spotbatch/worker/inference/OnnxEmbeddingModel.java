package dev.spotbatch.worker.inference;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A BERT-style ONNX text model (sentence embeddings, or classification logits as probabilities) run
 * by DJL's ONNX Runtime engine, with a HuggingFace tokenizer. Thread-safe: the loaded model is
 * shared, and each {@link #embed} call borrows a {@link Predictor} (not thread-safe) from a pool,
 * so no predictor is ever used by two threads at once; with N inference threads the pool holds N
 * predictors.
 */
public class OnnxEmbeddingModel implements EmbeddingModel {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(OnnxEmbeddingModel.class);

  static {
    Djl.offline();
  }

  private static final Set<String> KNOWN_INPUTS =
      Set.of("input_ids", "attention_mask", "token_type_ids");

  private final String name;
  private final int dimensions;
  private final Path tokenizerFile;
  private final int maxLength;
  private final HuggingFaceTokenizer tokenizer;
  private final ZooModel<String[], float[][]> model;
  private final OrtSession.SessionOptions sessionOptions;
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
    this(
        name,
        onnxFile,
        tokenizerFile,
        dimensions,
        maxLength,
        OnnxOptions.of(intraOpThreads),
        withTokenTypes,
        device);
  }

  /**
   * Loads a mean-pooled embedding model with these ONNX Runtime options onto a device.
   *
   * @param onnx threads and spinning of ONNX Runtime
   */
  public OnnxEmbeddingModel(
      String name,
      Path onnxFile,
      Path tokenizerFile,
      int dimensions,
      int maxLength,
      OnnxOptions onnx,
      boolean withTokenTypes,
      InferenceDevice device) {
    this(
        name,
        onnxFile,
        tokenizerFile,
        ModelShape.meanPooled(dimensions, maxLength),
        onnx,
        withTokenTypes,
        device);
  }

  /**
   * Loads a model of any {@link ModelShape}, checks its inputs and runs a probe text through it, so
   * that a model that cannot run here fails now, with the reason, not on the first batch.
   *
   * @param withTokenTypes whether to feed {@code token_type_ids}; null: if the model takes them
   * @param onnx threads and spinning of ONNX Runtime
   * @throws ModelException naming what is wrong (unknown inputs, a failing probe, a wrong size)
   */
  public OnnxEmbeddingModel(
      String name,
      Path onnxFile,
      Path tokenizerFile,
      ModelShape shape,
      OnnxOptions onnx,
      Boolean withTokenTypes,
      InferenceDevice device) {
    this.name = name;
    this.tokenizerFile = tokenizerFile;
    this.maxLength = shape.maxLength();
    TextEmbeddingTranslator translator;
    OrtSession.SessionOptions options = null;
    HuggingFaceTokenizer tok = null;
    Model loaded = null;
    try {
      tok =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(tokenizerFile)
              .optPadding(true)
              .optTruncation(true)
              .optMaxLength(maxLength)
              .build();
      translator =
          new TextEmbeddingTranslator(tok, withTokenTypes == null || withTokenTypes, shape);
      // DJL's Criteria takes ONNX Runtime settings as strings only; a ready SessionOptions (the
      // only way to reach ONNX Runtime's session config entries, such as spinning) is an argument
      // of Model.load, which DJL's OrtModel uses instead of its own (and adds the CUDA provider
      // to on a GPU). It stays ours to close.
      options = onnx.sessionOptions();
      loaded = Model.newInstance(name, device.djl(), "OnnxRuntime");
      loaded.load(onnxFile, null, Map.of("sessionOptions", options));
    } catch (IOException | MalformedModelException | OrtException | RuntimeException e) {
      if (loaded != null) {
        loaded.close();
      }
      if (options != null) {
        options.close();
      }
      if (tok != null) {
        tok.close();
      }
      throw new ModelException("cannot load model " + name + " from " + onnxFile + ": " + e, e);
    }
    this.tokenizer = tok;
    this.sessionOptions = options;
    this.model = new ZooModel<>(loaded, translator);
    if (withTokenTypes == null) {
      translator.takeTokenTypes(checkInputs().contains("token_type_ids"));
    }
    this.dimensions = shape.dimensions() > 0 ? shape.dimensions() : probe();
  }

  /** The model's input names; throws unless they are the tokenizer's. */
  private Set<String> checkInputs() {
    Set<String> names = new TreeSet<>();
    try {
      var inputs = model.describeInput();
      if (inputs != null) {
        names.addAll(inputs.keys());
      }
    } catch (RuntimeException e) {
      log.debug("model {} does not describe its inputs: {}", name, e.toString());
    }
    if (names.isEmpty()) {
      return Set.of("token_type_ids"); // unknown: BERT exports take them
    }
    if (!names.containsAll(Set.of("input_ids", "attention_mask"))
        || !KNOWN_INPUTS.containsAll(names)) {
      close();
      throw new ModelException(
          "model "
              + name
              + " takes inputs "
              + names
              + "; a text model here must take input_ids and attention_mask (and optionally"
              + " token_type_ids), as a HuggingFace BERT-style ONNX export does");
    }
    return names;
  }

  /** Runs one text: a tokenizer that does not fit the model, or a bad output, fails here. */
  private int probe() {
    try {
      float[][] out = embed(List.of("spotbatch probe: does this model run?"));
      if (out.length != 1 || out[0].length == 0) {
        throw new ModelException("the probe returned no vector");
      }
      return out[0].length;
    } catch (RuntimeException e) {
      close();
      throw new ModelException(
          "model "
              + name
              + " failed on a probe text (a tokenizer that does not match the model, or an"
              + " output that is not token embeddings, shows here): "
              + ItemReason.of(e),
          e);
    }
  }

  @Override
  public int maxLength() {
    return maxLength;
  }

  /** The tokenizer file this model reads (the chunk task counts tokens with it). */
  @Override
  public Path tokenizerFile() {
    return tokenizerFile;
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
    if (closed) {
      return;
    }
    closed = true;
    Predictor<String[], float[][]> p;
    while ((p = predictors.pollFirst()) != null) {
      p.close();
    }
    model.close();
    sessionOptions.close();
    tokenizer.close();
  }
}
