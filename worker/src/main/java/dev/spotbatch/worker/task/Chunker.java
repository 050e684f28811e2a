package dev.spotbatch.worker.task;

import dev.spotbatch.task.ChunkOptions;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code chunk} task: splits a text into chunks of at most {@code maxTokens} tokens, ending on
 * a sentence boundary where one fits (else inside a long sentence, between tokens), each repeating
 * up to {@code overlap} tokens from the end of the one before (starting on a sentence boundary
 * where one lies in that window). A pure function of the text and options: the same text always
 * gives the same chunks, so chunk ids are deterministic. Thread-safe.
 */
final class Chunker {
  private final ChunkOptions options;
  private final TokenSpans tokens;

  /**
   * One chunk: characters {@code [start, end)} of the text, {@code tokens} tokens.
   *
   * @param index the chunk's position in its record, from 0
   */
  record Span(int index, int start, int end, int tokens) {}

  Chunker(ChunkOptions options, TokenSpans tokens) {
    this.options = options;
    this.tokens = tokens;
  }

  List<Span> split(String text) {
    int[] spans = tokens.spans(text);
    int n = spans.length / 2;
    List<Span> out = new ArrayList<>();
    if (n == 0) {
      return out;
    }
    boolean[] boundary = sentenceBoundaries(text, spans, n);
    int max = options.maxTokens();
    int overlap = options.overlap();
    int s = 0;
    while (true) {
      int limit = Math.min(s + max, n);
      int e = limit;
      if (limit < n) {
        for (int b = limit; b > s; b--) {
          if (boundary[b]) {
            e = b;
            break;
          }
        }
      }
      out.add(new Span(out.size(), spans[2 * s], spans[2 * (e - 1) + 1], e - s));
      if (e == n) {
        return out;
      }
      int next = e;
      if (overlap > 0) {
        next = Math.max(e - overlap, s + 1);
        for (int b = Math.max(e - overlap, s + 1); b < e; b++) {
          if (boundary[b]) { // the earliest sentence start within the overlap window
            next = b;
            break;
          }
        }
      }
      s = next;
    }
  }

  /**
   * {@code boundary[i]}: a sentence starts at token i (0 and n included), i.e. a sentence start
   * lies between the end of token i-1 and the start of token i.
   */
  static boolean[] sentenceBoundaries(String text, int[] spans, int n) {
    boolean[] boundary = new boolean[n + 1];
    boundary[0] = true;
    boundary[n] = true;
    BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
    it.setText(text);
    int t = 1;
    for (int pos = it.next(); pos != BreakIterator.DONE && t < n; pos = it.next()) {
      while (t < n && spans[2 * t] < pos) {
        t++;
      }
      if (t < n && spans[2 * (t - 1) + 1] <= pos) {
        boundary[t] = true;
      }
    }
    return boundary;
  }
}
