package dev.spotbatch.spi;

import java.util.List;

/**
 * A task written in Java: turns a batch of texts into one result per text. A job names it with
 * {@code "tasks": [..., "plugin"], "options": {"plugin": "<name>"}}; each record's (or chunk's)
 * output line is {@code {"id": ..., "result": <the result as JSON>}}.
 *
 * <p>Package it as a jar with a {@code META-INF/services/dev.spotbatch.spi.Translator} file naming
 * the class (it needs a public no-argument constructor) and put the jar in the workers' plugin
 * directory ({@code spotbatch.worker.plugin-dir}). One instance serves every item of the worker,
 * from several threads: keep it thread-safe. It must be deterministic (the same text gives the same
 * result): an item interrupted and run again writes its records again.
 */
public interface Translator extends AutoCloseable {

  /** The name jobs use for it: letters, digits, '-' and '_'. */
  String name();

  /**
   * One result per text, in order: a {@code String}, {@code Number}, {@code Boolean}, {@code List},
   * {@code Map} of those, or a record; {@code null} is written as JSON null.
   *
   * @throws Exception to fail the batch: the item is retried, as for a model failure
   */
  List<?> translate(List<String> texts) throws Exception;

  /** Releases what the translator holds when the worker stops. */
  @Override
  default void close() {}
}
