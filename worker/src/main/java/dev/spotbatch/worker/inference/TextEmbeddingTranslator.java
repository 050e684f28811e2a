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
 * Translation for sentence-transformer style ONNX models, apart from execution: tokenises a batch
 * of texts (padded to the longest, truncated) into {@code input_ids}, {@code attention_mask} and
 * (optionally) {@code token_type_ids}, and turns the model's token embeddings back into one
 * mean-pooled (over the attention mask), L2-normalised vector per text. Thread-safe.
 */
final class TextEmbeddingTranslator implements NoBatchifyTranslator<String[], float[][]> {
  private static final String MASK = "attention_mask";

  private final HuggingFaceTokenizer tokenizer;
  private final boolean withTokenTypes;

  TextEmbeddingTranslator(HuggingFaceTokenizer tokenizer, boolean withTokenTypes) {
    this.tokenizer = tokenizer;
    this.withTokenTypes = withTokenTypes;
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
    NDArray tokens = list.get(0); // last_hidden_state: [batch, seq, hidden]
    long[] mask = (long[]) ctx.getAttachment(MASK);
    Shape shape = tokens.getShape();
    int batch = (int) shape.get(0);
    int seq = (int) shape.get(1);
    int hidden = (int) shape.get(2);
    return pool(tokens.toFloatArray(), mask, batch, seq, hidden);
  }

  /** Mean pooling over the attention mask, then L2 normalisation. */
  static float[][] pool(float[] tokens, long[] mask, int batch, int seq, int hidden) {
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
      double norm = 0;
      for (int h = 0; h < hidden; h++) {
        sum[h] /= Math.max(count, 1);
        norm += sum[h] * sum[h];
      }
      norm = Math.max(Math.sqrt(norm), 1e-12);
      for (int h = 0; h < hidden; h++) {
        out[b][h] = (float) (sum[h] / norm);
      }
    }
    return out;
  }
}
