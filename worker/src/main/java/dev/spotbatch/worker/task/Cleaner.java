package dev.spotbatch.worker.task;

import dev.spotbatch.task.CleanOptions;
import dev.spotbatch.task.ModelLocations;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;

/**
 * The {@code clean} task for one run of an item: HTML to visible text (jsoup), Unicode NFKC, white
 * space collapsed, then the length filters and exact duplicates (by SHA-256 of the cleaned text,
 * claimed in {@link ContentClaims}: across the job, or in one run). Not thread-safe (the claims
 * remember what they saw).
 */
final class Cleaner {
  private static final Pattern SPACE =
      Pattern.compile("[\\s\\p{Z}\\u200B\\uFEFF]+", Pattern.UNICODE_CHARACTER_CLASS);

  private final CleanOptions options;
  private final ContentClaims claims;

  /** The cleaned text, or why the record was dropped. */
  record Result(String text, String dropped) {
    boolean kept() {
      return dropped == null;
    }
  }

  Cleaner(CleanOptions options, ContentClaims claims) {
    this.options = options;
    this.claims = claims;
  }

  /**
   * @param offset the record's byte offset in its input object (it names the record in a claim)
   */
  Result clean(String id, long offset, String text) {
    String t = text;
    if (options.html()) {
      t = Jsoup.parse(t).body().text();
    }
    if (options.nfkc()) {
      t = Normalizer.normalize(t, Normalizer.Form.NFKC);
    }
    if (options.whitespace()) {
      t = SPACE.matcher(t).replaceAll(" ").strip();
    }
    int length = t.codePointCount(0, t.length());
    if (length < options.minChars()) {
      return new Result(
          null,
          "clean: "
              + length
              + " characters after cleaning, fewer than minChars "
              + options.minChars());
    }
    if (options.maxChars() != null && length > options.maxChars()) {
      return new Result(
          null,
          "clean: "
              + length
              + " characters after cleaning, more than maxChars "
              + options.maxChars());
    }
    if (options.dedupe()) {
      String hash =
          HexFormat.of()
              .formatHex(ModelLocations.sha256().digest(t.getBytes(StandardCharsets.UTF_8)));
      Optional<String> first = claims.claim(hash, id, offset);
      if (first.isPresent()) {
        return new Result(
            null, "clean: duplicate of record " + first.get() + " (same cleaned text)");
      }
    }
    return new Result(t, null);
  }
}
