package dev.spotbatch.worker.task;

/** Splits a text into tokens and says where each token is: the chunk task's tokenizer. */
interface TokenSpans {
  /**
   * The character span of each token of {@code text}, in order, without special tokens: {@code
   * [start0, end0, start1, end1, ...]} as indexes into the Java string.
   */
  int[] spans(String text);
}
