package dev.spotbatch.task;

import dev.spotbatch.codec.Json;
import dev.spotbatch.store.ObjectInfo;
import dev.spotbatch.store.ObjectNotFoundException;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.store.StoreUri;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Reads and checks a brought model's location without fetching the model: under the model roots, a
 * valid descriptor, every file present and within the size limit. The dispatcher runs this at
 * submit time, the worker before it fetches.
 */
public final class ModelLocations {
  /** A descriptor larger than this is not a descriptor. */
  static final long MAX_DESCRIPTOR_BYTES = 64 * 1024;

  private ModelLocations() {}

  /** A checked location: where, what it says, and its digest. */
  public record Inspected(
      StoreUri location, ModelDescriptor descriptor, String digest, long bytes) {
    /** The reference a job carries. */
    public ModelRef ref(String input) {
      return new ModelRef(descriptor.name(), location.toString(), digest, input);
    }
  }

  /**
   * Checks the model at {@code uri}.
   *
   * @param maxModelBytes the model's files together may not be larger
   * @throws ModelProblemException saying what is wrong and how to fix it
   */
  public static Inspected inspect(
      ObjectStore store, StorageRoots roots, String uri, long maxModelBytes) {
    StoreUri location;
    try {
      location = roots.check(uri).asPrefix();
    } catch (IllegalArgumentException e) {
      throw new ModelProblemException("model.uri: " + e.getMessage(), e);
    }
    byte[] bytes = read(store, location.resolve(ModelDescriptor.FILE));
    ModelDescriptor descriptor = parse(bytes, location);
    long total = 0;
    for (String file : descriptor.files()) {
      Optional<ObjectInfo> info = store.stat(location.resolve(file));
      if (info.isEmpty()) {
        throw new ModelProblemException(
            "model file '"
                + file
                + "' named by "
                + ModelDescriptor.FILE
                + " is missing at "
                + location);
      }
      total += info.get().size();
    }
    if (total > maxModelBytes) {
      throw new ModelProblemException(
          "model at " + location + " is " + total + " bytes; the limit is " + maxModelBytes);
    }
    return new Inspected(location, descriptor, digest(bytes), total);
  }

  /** Reads the descriptor; a missing or oversized one is a problem. */
  public static byte[] read(ObjectStore store, StoreUri descriptorUri) {
    Optional<ObjectInfo> info = store.stat(descriptorUri);
    if (info.isEmpty()) {
      throw new ModelProblemException(
          "no "
              + ModelDescriptor.FILE
              + " at "
              + descriptorUri
              + "; a model location holds the ONNX file, tokenizer.json and this descriptor"
              + " (see README, Bring your own model)");
    }
    if (info.get().size() > MAX_DESCRIPTOR_BYTES) {
      throw new ModelProblemException(
          descriptorUri
              + " is "
              + info.get().size()
              + " bytes; a descriptor is at most "
              + MAX_DESCRIPTOR_BYTES);
    }
    try (InputStream in = store.read(descriptorUri, 0, info.get().size())) {
      return in.readAllBytes();
    } catch (ObjectNotFoundException e) {
      throw new ModelProblemException("no " + ModelDescriptor.FILE + " at " + descriptorUri, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + descriptorUri + ": " + e.getMessage(), e);
    }
  }

  /** Parses a descriptor; bad JSON or bad values are a problem naming the location. */
  public static ModelDescriptor parse(byte[] bytes, StoreUri location) {
    try {
      return Json.mapper().readValue(bytes, ModelDescriptor.class);
    } catch (IllegalArgumentException e) {
      throw new ModelProblemException(location + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
        cause = cause.getCause();
      }
      String why = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getMessage();
      throw new ModelProblemException(
          location + ModelDescriptor.FILE + " is not a valid descriptor: " + why, e);
    }
  }

  /** {@code sha256:<hex>} of some bytes. */
  public static String digest(byte[] bytes) {
    return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /** A fresh SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
