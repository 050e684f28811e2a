package dev.spotbatch.worker.task;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Token spans from a HuggingFace {@code tokenizer.json} (DJL), without truncation, padding or
 * special tokens. Thread-safe (the native tokenizer is).
 */
final class HuggingFaceTokenSpans implements TokenSpans, AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;

  HuggingFaceTokenSpans(Path tokenizerFile) {
    try {
      tokenizer =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(tokenizerFile)
              .optAddSpecialTokens(false)
              .optTruncation(false)
              .optPadding(false)
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + tokenizerFile, e);
    }
  }

  @Override
  public int[] spans(String text) {
    Encoding enc = tokenizer.encode(text);
    CharSpan[] spans = enc.getCharTokenSpans();
    int[] out = new int[spans.length * 2];
    int n = 0;
    boolean surrogates = text.codePointCount(0, text.length()) != text.length();
    for (CharSpan s : spans) {
      if (s == null || s.getEnd() <= s.getStart()) {
        continue;
      }
      // the tokenizer counts Unicode code points; Java strings count UTF-16 units
      out[n++] = surrogates ? text.offsetByCodePoints(0, s.getStart()) : s.getStart();
      out[n++] = surrogates ? text.offsetByCodePoints(0, s.getEnd()) : s.getEnd();
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
