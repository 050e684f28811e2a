package dev.spotbatch.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A location in an object store: {@code s3://bucket/key} or {@code file:///absolute/path}. For
 * {@code file} URIs the bucket is empty and the key is the absolute path without its leading slash.
 * A key ending in {@code /} is a prefix (a "directory").
 */
public record StoreUri(String scheme, String bucket, String key) {
  public static final String S3 = "s3";
  public static final String FILE = "file";

  public StoreUri {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    if (!scheme.equals(S3) && !scheme.equals(FILE)) {
      throw new IllegalArgumentException(
          "unsupported scheme '" + scheme + "': use s3://bucket/key or file:///absolute/path");
    }
    if (scheme.equals(S3) && bucket.isEmpty()) {
      throw new IllegalArgumentException("an s3 URI needs a bucket: s3://bucket/key");
    }
    if (key.contains("\\") || hasDotSegment(key)) {
      throw new IllegalArgumentException(
          "path must not contain '.', '..' or '\\' segments: " + key);
    }
  }

  /**
   * Parses {@code s3://bucket/key} or {@code file:///path}.
   *
   * @throws IllegalArgumentException with a message saying what to fix
   */
  public static StoreUri parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a location is required: s3://bucket/key or file:///path");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not a valid URI: " + e.getReason());
    }
    String scheme =
        uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    switch (scheme) {
      case S3 -> {
        String bucket = uri.getHost() == null ? uri.getAuthority() : uri.getHost();
        String path = uri.getPath() == null ? "" : uri.getPath();
        return new StoreUri(S3, bucket == null ? "" : bucket, stripLeadingSlash(path));
      }
      case FILE -> {
        if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()) {
          throw new IllegalArgumentException(
              "file URIs must be absolute with no host: file:///path, not " + text);
        }
        String path = uri.getPath();
        if (path == null || !path.startsWith("/")) {
          throw new IllegalArgumentException(
              "file URIs must be absolute: file:///path, not " + text);
        }
        return new StoreUri(FILE, "", stripLeadingSlash(path));
      }
      default ->
          throw new IllegalArgumentException(
              "unsupported location '"
                  + text
                  + "': use s3://bucket/key or file:///absolute/path (http and other schemes are"
                  + " not allowed)");
    }
  }

  /** The URI of a local path. */
  public static StoreUri of(Path path) {
    String abs = path.toAbsolutePath().normalize().toString().replace('\\', '/');
    boolean dir = path.toString().endsWith("/");
    return new StoreUri(FILE, "", stripLeadingSlash(abs) + (dir ? "/" : ""));
  }

  /** This location as a directory prefix (with a trailing slash). */
  public StoreUri asPrefix() {
    return key.isEmpty() || key.endsWith("/") ? this : new StoreUri(scheme, bucket, key + "/");
  }

  public boolean isPrefix() {
    return key.isEmpty() || key.endsWith("/");
  }

  /** A location below this prefix; {@code relative} must not escape it. */
  public StoreUri resolve(String relative) {
    if (relative.startsWith("/")) {
      throw new IllegalArgumentException("relative path must not start with '/': " + relative);
    }
    return new StoreUri(scheme, bucket, asPrefix().key + relative);
  }

  /** The path of this location relative to {@code prefix}, which must contain it. */
  public String relativeTo(StoreUri prefix) {
    if (!prefix.contains(this)) {
      throw new IllegalArgumentException(this + " is not under " + prefix);
    }
    return key.substring(prefix.asPrefix().key.length());
  }

  /** True if {@code other} is this location or lies below it (segment-wise, no partial names). */
  public boolean contains(StoreUri other) {
    if (!scheme.equals(other.scheme) || !bucket.equals(other.bucket)) {
      return false;
    }
    if (key.isEmpty()) {
      return true;
    }
    if (other.key.equals(key)) {
      return true;
    }
    return other.key.startsWith(asPrefix().key);
  }

  /** The local path of a {@code file} URI. */
  public Path toPath() {
    if (!scheme.equals(FILE)) {
      throw new IllegalStateException("not a file URI: " + this);
    }
    return Path.of("/" + key);
  }

  /** The last path segment (the object's file name). */
  public String name() {
    String k = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    int slash = k.lastIndexOf('/');
    return slash < 0 ? k : k.substring(slash + 1);
  }

  @Override
  public String toString() {
    return scheme.equals(FILE) ? "file:///" + key : "s3://" + bucket + "/" + key;
  }

  private static boolean hasDotSegment(String key) {
    for (String segment : key.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static String stripLeadingSlash(String path) {
    int i = 0;
    while (i < path.length() && path.charAt(i) == '/') {
      i++;
    }
    return path.substring(i);
  }
}
