package dev.spotbatch.task;

/**
 * Options of the {@code clean} task; each step is on unless turned off.
 *
 * @param nfkc Unicode NFKC normalisation
 * @param whitespace collapse runs of white space (Unicode included) to one space, trim the ends
 * @param html parse the text as HTML and keep its visible text (off by default)
 * @param minChars drop records shorter than this after cleaning (default 1: drop empty ones)
 * @param maxChars drop records longer than this after cleaning (null: no limit)
 * @param dedupe drop a record whose cleaned text another record of the job has (the first to claim
 *     it keeps it)
 */
public record CleanOptions(
    Boolean nfkc,
    Boolean whitespace,
    Boolean html,
    Integer minChars,
    Integer maxChars,
    Boolean dedupe) {
  public CleanOptions {
    nfkc = nfkc == null || nfkc;
    whitespace = whitespace == null || whitespace;
    html = html != null && html;
    minChars = minChars == null ? 1 : minChars;
    dedupe = dedupe == null || dedupe;
    if (minChars < 0) {
      throw new IllegalArgumentException("clean.minChars must be >= 0, was " + minChars);
    }
    if (maxChars != null && maxChars < Math.max(minChars, 1)) {
      throw new IllegalArgumentException(
          "clean.maxChars must be >= minChars and >= 1, was " + maxChars);
    }
  }

  public static CleanOptions defaults() {
    return new CleanOptions(null, null, null, null, null, null);
  }
}
