package dev.spotbatch.worker.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * Translation for BERT-style ONNX text models, apart from execution: tokenises a batch of texts
 * (padded to the longest, truncated) into {@code input_ids}, {@code attention_mask} and (when the
 * model takes them) {@code token_type_ids}, and turns the model's output back into one vector per
 * text as the {@link ModelShape} says: mean-pooled (over the attention mask) or CLS token
 * embeddings, optionally L2-normalised, or label probabilities from logits. Thread-safe once the
 * model is loaded ({@link #takeTokenTypes} is called before the first predictor).
 */
final class TextEmbeddingTranslator implements NoBatchifyTranslator<String[], float[][]> {
  private static final String MASK = "attention_mask";

  private final HuggingFaceTokenizer tokenizer;
  private final ModelShape shape;
  private volatile boolean withTokenTypes;

  TextEmbeddingTranslator(HuggingFaceTokenizer tokenizer, boolean withTokenTypes) {
    this(tokenizer, withTokenTypes, ModelShape.meanPooled(0, 1));
  }

  TextEmbeddingTranslator(
      HuggingFaceTokenizer tokenizer, boolean withTokenTypes, ModelShape shape) {
    this.tokenizer = tokenizer;
    this.withTokenTypes = withTokenTypes;
    this.shape = shape;
  }

  /** Whether to feed {@code token_type_ids}: set from the model's inputs once it is loaded. */
  void takeTokenTypes(boolean takes) {
    this.withTokenTypes = takes;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, String[] texts) {
    Encoding[] encodings = tokenizer.batchEncode(texts);
    int batch = encodings.length;
    int seq = encodings[0].getIds().length;
    long[] ids = new long[batch * seq];
    long[] mask = new long[batch * seq];
    long[] types = new long[batch * seq];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(encodings[b].getIds(), 0, ids, b * seq, seq);
      System.arraycopy(encodings[b].getAttentionMask(), 0, mask, b * seq, seq);
      System.arraycopy(encodings[b].getTypeIds(), 0, types, b * seq, seq);
    }
    ctx.setAttachment(MASK, mask);
    NDManager manager = ctx.getNDManager();
    Shape shape = new Shape(batch, seq);
    NDArray idArray = manager.create(ids, shape);
    idArray.setName("input_ids");
    NDArray maskArray = manager.create(mask, shape);
    maskArray.setName(MASK);
    if (!withTokenTypes) {
      return new NDList(idArray, maskArray);
    }
    NDArray typeArray = manager.create(types, shape);
    typeArray.setName("token_type_ids");
    return new NDList(idArray, maskArray, typeArray);
  }

  @Override
  public float[][] processOutput(TranslatorContext ctx, NDList list) {
    NDArray out = shape.output() == null ? list.get(0) : list.get(shape.output());
    if (out == null) {
      throw new ModelException("the model has no output named '" + shape.output() + "'");
    }
    Shape dims = out.getShape();
    if (shape.mode() == OutputMode.SOFTMAX) {
      if (dims.dimension() != 2) {
        throw new ModelException(
            "a classification model's output must be [batch, labels], was " + dims);
      }
      return softmax(out.toFloatArray(), (int) dims.get(0), (int) dims.get(1));
    }
    if (dims.dimension() != 3) {
      throw new ModelException(
          "an embedding model's output must be token embeddings [batch, tokens, hidden], was "
              + dims
              + (dims.dimension() == 2 ? " (a pooled output: name the token output)" : ""));
    }
    long[] mask = (long[]) ctx.getAttachment(MASK);
    int batch = (int) dims.get(0);
    int seq = (int) dims.get(1);
    int hidden = (int) dims.get(2);
    float[] tokens = out.toFloatArray();
    return shape.mode() == OutputMode.CLS
        ? cls(tokens, batch, seq, hidden, shape.normalize())
        : pool(tokens, mask, batch, seq, hidden, shape.normalize());
  }

  /** The first token's vector per text, optionally L2-normalised. */
  static float[][] cls(float[] tokens, int batch, int seq, int hidden, boolean normalize) {
    float[][] out = new float[batch][hidden];
    for (int b = 0; b < batch; b++) {
      double[] v = new double[hidden];
      int base = b * seq * hidden;
      for (int h = 0; h < hidden; h++) {
        v[h] = tokens[base + h];
      }
      write(v, out[b], normalize);
    }
    return out;
  }

  /** Probabilities from logits, per row. */
  static float[][] softmax(float[] logits, int batch, int labels) {
    float[][] out = new float[batch][labels];
    for (int b = 0; b < batch; b++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int l = 0; l < labels; l++) {
        max = Math.max(max, logits[b * labels + l]);
      }
      double sum = 0;
      double[] e = new double[labels];
      for (int l = 0; l < labels; l++) {
        e[l] = Math.exp(logits[b * labels + l] - max);
        sum += e[l];
      }
      for (int l = 0; l < labels; l++) {
        out[b][l] = (float) (e[l] / sum);
      }
    }
    return out;
  }

  private static void write(double[] v, float[] out, boolean normalize) {
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    norm = normalize ? Math.max(Math.sqrt(norm), 1e-12) : 1.0;
    for (int h = 0; h < v.length; h++) {
      out[h] = (float) (v[h] / norm);
    }
  }

  static float[][] pool(float[] tokens, long[] mask, int batch, int seq, int hidden) {
    return pool(tokens, mask, batch, seq, hidden, true);
  }

  /** Mean pooling over the attention mask, then (optionally) L2 normalisation. */
  static float[][] pool(
      float[] tokens, long[] mask, int batch, int seq, int hidden, boolean normalize) {
    float[][] out = new float[batch][hidden];
    for (int b = 0; b < batch; b++) {
      double[] sum = new double[hidden];
      long count = 0;
      for (int s = 0; s < seq; s++) {
        if (mask[b * seq + s] == 0) {
          continue;
        }
        count++;
        int base = (b * seq + s) * hidden;
        for (int h = 0; h < hidden; h++) {
          sum[h] += tokens[base + h];
        }
      }
      for (int h = 0; h < hidden; h++) {
        sum[h] /= Math.max(count, 1);
      }
      write(sum, out[b], normalize);
    }
    return out;
  }
}
