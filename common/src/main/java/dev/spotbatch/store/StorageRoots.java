package dev.spotbatch.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where jobs may read and write: only {@code s3://} and {@code file://} locations at or below one
 * of the configured roots (segment-wise: {@code /data2} is not under {@code /data}), never a
 * metadata address or a path with {@code ..} (plain or percent-encoded). The dispatcher checks a
 * job's locations with it when the job is submitted, the worker again before it runs an item.
 *
 * <p>There is no "no roots" meaning: an empty list is refused when the policy is built, so a
 * missing setting stops the application at startup instead of allowing everything (or nothing).
 */
public final class StorageRoots {
  private final List<StoreUri> roots;
  private final String setting;

  private StorageRoots(List<StoreUri> roots, String setting) {
    this.roots = roots;
    this.setting = setting;
  }

  /**
   * The roots configured under {@code setting} (named in every message, so a person knows what to
   * change).
   *
   * @throws IllegalArgumentException if the list is empty or a root is not a valid location
   */
  public static StorageRoots of(String setting, List<String> roots) {
    Objects.requireNonNull(setting, "setting");
    if (roots == null || roots.isEmpty()) {
      throw new IllegalArgumentException(
          setting
              + " is empty: inputs and outputs may only lie under configured roots; give at"
              + " least one, e.g. file:///data/ or s3://bucket/prefix/");
    }
    List<StoreUri> parsed = new ArrayList<>();
    for (String root : roots) {
      try {
        parsed.add(StoreUri.parse(root).asPrefix());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
      }
    }
    return new StorageRoots(List.copyOf(parsed), setting);
  }

  /** The roots, each as a prefix (with a trailing slash). */
  public List<StoreUri> roots() {
    return roots;
  }

  /**
   * Checks a location given by a user or carried by a work item.
   *
   * @return the parsed location
   * @throws IllegalArgumentException saying what to fix
   */
  public StoreUri check(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("a location is required: s3://bucket/key or file:///path");
    }
    String lower = location.toLowerCase(Locale.ROOT);
    if (lower.contains("169.254.169.254") || lower.contains("metadata.google.internal")) {
      throw new IllegalArgumentException(
          "'"
              + location
              + "' points at an instance-metadata address; use s3://bucket/key or"
              + " file:///path under "
              + describe());
    }
    // the encoded form is decoded (and its ".." segments refused) by StoreUri.parse
    if (location.contains("..")) {
      throw new IllegalArgumentException(
          "'" + location + "' contains '..'; give the location without relative segments");
    }
    StoreUri uri = StoreUri.parse(location);
    if (!allows(uri)) {
      throw new IllegalArgumentException(
          "'"
              + location
              + "' is outside the allowed storage roots; use a location under "
              + describe()
              + " (configure "
              + setting
              + ")");
    }
    return uri;
  }

  /** True if {@code uri} is a root or lies below one. */
  public boolean allows(StoreUri uri) {
    for (StoreUri root : roots) {
      if (root.contains(uri)) {
        return true;
      }
    }
    return false;
  }

  /** The roots for messages: {@code file:///data/, s3://bucket/in/}. */
  public String describe() {
    return roots.stream().map(StoreUri::toString).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return describe();
  }
}
