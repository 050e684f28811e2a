package dev.spotbatch.worker.task;

/** A translator plugin failed on a batch, or gave the wrong number of results. */
public final class PluginException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PluginException(String message) {
    super(message);
  }

  PluginException(String message, Throwable cause) {
    super(message, cause);
  }
}
