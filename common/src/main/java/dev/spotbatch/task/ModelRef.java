package dev.spotbatch.task;

/**
 * The model a job runs: a built-in one by {@code name}, or one brought by the user at {@code uri}
 * (a prefix holding the model files and {@value ModelDescriptor#FILE}), pinned by {@code digest},
 * the SHA-256 of that descriptor (which itself lists every file's SHA-256), so a result can be
 * traced to the exact model.
 *
 * @param name the built-in name, or the descriptor's name for a brought model
 * @param uri the model's location ({@code s3://...} or {@code file:///...}, ending in {@code /}),
 *     or null for a built-in model
 * @param digest {@code sha256:<hex>} of the descriptor, or null for a built-in model
 * @param input which of the descriptor's prefixes goes before each text (e.g. {@code passage}), or
 *     null for its default
 */
public record ModelRef(String name, String uri, String digest, String input) {
  public ModelRef {
    if ((name == null || name.isBlank()) && (uri == null || uri.isBlank())) {
      throw new IllegalArgumentException("a model needs a name or a uri");
    }
    if (uri != null && (digest == null || !digest.startsWith("sha256:"))) {
      throw new IllegalArgumentException("a model by uri needs its descriptor's sha256 digest");
    }
  }

  /** A built-in model. */
  public static ModelRef builtIn(String name) {
    return new ModelRef(name, null, null, null);
  }

  /** True for a model brought by URI. */
  public boolean brought() {
    return uri != null;
  }

  /** What identifies the loaded model on a worker: the digest, else the built-in name. */
  public String key() {
    return brought() ? digest : name;
  }
}
