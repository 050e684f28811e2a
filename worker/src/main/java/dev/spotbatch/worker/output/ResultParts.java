package dev.spotbatch.worker.output;

import dev.spotbatch.model.OutputFormat;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.IntSupplier;

/** Opens the {@link ResultPart} of an item's output format, staged in one temp directory. */
public final class ResultParts {
  private final Path tempDir;

  /**
   * @param tempDir where each lease's parts are staged before they are committed
   */
  public ResultParts(Path tempDir) {
    this.tempDir = Objects.requireNonNull(tempDir, "tempDir");
  }

  /**
   * A new part in {@code format}.
   *
   * @param dimensions the length of every vector, asked only by formats that need it up front
   */
  public ResultPart open(OutputFormat format, IntSupplier dimensions) {
    return switch (format) {
      case JSONL -> new PartWriter(tempDir);
      case NPY -> new NpyPartWriter(tempDir, dimensions.getAsInt());
    };
  }
}
