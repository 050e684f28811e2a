package dev.spotbatch.task;

/**
 * Options of the {@code chunk} task.
 *
 * @param maxTokens tokens per chunk at most (special tokens not counted)
 * @param overlap tokens a chunk repeats from the end of the one before (whole sentences where they
 *     fit)
 * @param tokenizer whose tokenizer counts the tokens: {@code model} (the job's model) or a built-in
 *     model's name; null: the job's model if it has one, else {@code all-minilm-l6-v2}
 */
public record ChunkOptions(Integer maxTokens, Integer overlap, String tokenizer) {
  public static final int DEFAULT_MAX_TOKENS = 128;
  public static final int DEFAULT_OVERLAP = 16;
  public static final int MAX_TOKENS_LIMIT = 8192;

  public ChunkOptions {
    maxTokens = maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens;
    overlap = overlap == null ? Math.min(DEFAULT_OVERLAP, maxTokens / 4) : overlap;
    if (maxTokens < 8 || maxTokens > MAX_TOKENS_LIMIT) {
      throw new IllegalArgumentException(
          "chunk.maxTokens must be between 8 and " + MAX_TOKENS_LIMIT + ", was " + maxTokens);
    }
    if (overlap < 0 || overlap >= maxTokens / 2) {
      throw new IllegalArgumentException(
          "chunk.overlap must be >= 0 and under half of maxTokens ("
              + maxTokens / 2
              + "), was "
              + overlap);
    }
    tokenizer = tokenizer == null || tokenizer.isBlank() ? null : tokenizer;
  }

  public static ChunkOptions defaults() {
    return new ChunkOptions(null, null, null);
  }
}
