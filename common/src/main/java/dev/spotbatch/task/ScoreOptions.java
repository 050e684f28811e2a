package dev.spotbatch.task;

import java.util.List;
import java.util.Map;

/**
 * Options of {@code classify} (zero-shot: {@code labels} with descriptions; with a classification
 * model: its own labels) and {@code similarity} ({@code queries}): top-k by score.
 *
 * @param topK how many labels or queries each record gets, best first
 * @param labels zero-shot: label name to a description the text is compared with; null with a
 *     classification model
 * @param queries similarity: query id to query text
 */
public record ScoreOptions(Integer topK, Map<String, String> labels, Map<String, String> queries) {
  /** Few: the labels and queries are embedded on every worker, and scored per record. */
  public static final int MAX_ENTRIES = 256;

  public ScoreOptions {
    topK = topK == null ? 3 : topK;
    if (topK < 1 || topK > MAX_ENTRIES) {
      throw new IllegalArgumentException("topK must be between 1 and " + MAX_ENTRIES);
    }
    labels = labels == null ? null : Map.copyOf(labels);
    queries = queries == null ? null : Map.copyOf(queries);
    check(labels, "classify.labels");
    check(queries, "similarity.queries");
  }

  private static void check(Map<String, String> entries, String field) {
    if (entries == null) {
      return;
    }
    if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          field + " must have between 1 and " + MAX_ENTRIES + " entries");
    }
    for (var e : entries.entrySet()) {
      if (e.getKey().isBlank() || e.getValue() == null || e.getValue().isBlank()) {
        throw new IllegalArgumentException(field + ": every entry needs a name and a text");
      }
    }
  }

  /** The entries in a stable order (by name), so scores and ties are deterministic. */
  public static List<Map.Entry<String, String>> sorted(Map<String, String> entries) {
    return entries.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
  }
}
