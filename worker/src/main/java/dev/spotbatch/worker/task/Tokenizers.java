package dev.spotbatch.worker.task;

import dev.spotbatch.task.ModelProblemException;
import dev.spotbatch.worker.inference.MiniLmOnnxModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokenizers the chunk task counts with, one per tokenizer file, kept for the worker's life. A
 * built-in model's tokenizer is read without loading the model. Thread-safe.
 */
public final class Tokenizers implements AutoCloseable {
  private final Path builtInCacheDir;
  private final Map<Path, HuggingFaceTokenSpans> loaded = new ConcurrentHashMap<>();

  /**
   * @param builtInCacheDir where the built-in models' files are extracted
   */
  public Tokenizers(Path builtInCacheDir) {
    this.builtInCacheDir = builtInCacheDir;
  }

  TokenSpans file(Path tokenizerFile) {
    return loaded.computeIfAbsent(tokenizerFile, HuggingFaceTokenSpans::new);
  }

  /** A built-in model's tokenizer by the model's name. */
  TokenSpans builtIn(String name) {
    if (!MiniLmOnnxModel.NAME.equals(name)) {
      throw new ModelProblemException(
          "chunk.tokenizer '"
              + name
              + "' is not known here; use 'model' (the job's model) or "
              + MiniLmOnnxModel.NAME);
    }
    return file(MiniLmOnnxModel.tokenizerFile(builtInCacheDir));
  }

  @Override
  public void close() {
    loaded.values().forEach(HuggingFaceTokenSpans::close);
    loaded.clear();
  }
}
