package dev.spotbatch.dispatcher.job;

import dev.spotbatch.store.StoreUri;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where jobs may read and write: only {@code s3://} and {@code file://} locations under one of the
 * allowed roots, never a metadata address or a path with {@code ..}.
 */
public final class StoragePolicy {
  private final List<StoreUri> roots;

  public StoragePolicy(List<String> allowedRoots) {
    List<StoreUri> parsed = new ArrayList<>();
    for (String r : allowedRoots) {
      parsed.add(StoreUri.parse(r).asPrefix());
    }
    this.roots = List.copyOf(parsed);
  }

  public List<StoreUri> roots() {
    return roots;
  }

  /**
   * Checks a location.
   *
   * @return the parsed location
   * @throws IllegalArgumentException saying what to fix
   */
  public StoreUri check(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a location is required: s3://bucket/key or file:///path");
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.contains("169.254.169.254") || lower.contains("metadata.google.internal")) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' points at an instance-metadata address; use s3://bucket/key or"
              + " file:///path under "
              + describeRoots());
    }
    if (text.contains("..")) {
      throw new IllegalArgumentException(
          "'" + text + "' contains '..'; give the location without relative segments");
    }
    StoreUri uri = StoreUri.parse(text);
    for (StoreUri root : roots) {
      if (root.contains(uri)) {
        return uri;
      }
    }
    throw new IllegalArgumentException(
        "'"
            + text
            + "' is outside the allowed storage roots; use a location under "
            + describeRoots()
            + " (configure spotbatch.storage.allowed-roots)");
  }

  public String describeRoots() {
    if (roots.isEmpty()) {
      return "(none configured)";
    }
    return roots.stream().map(StoreUri::toString).collect(Collectors.joining(", "));
  }
}
