package dev.spotbatch.worker.inference;

import java.util.Locale;

/** How a model's output becomes one vector per text. */
public enum OutputMode {
  /** Token embeddings averaged over the attention mask (sentence-transformers). */
  MEAN,
  /** The first token's embedding (BERT's {@code [CLS]}). */
  CLS,
  /** One logit per label, turned into probabilities (sequence classification). */
  SOFTMAX;

  /** {@code mean} or {@code cls}, as a descriptor names the pooling. */
  public static OutputMode pooling(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
