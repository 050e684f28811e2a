package dev.spotbatch.worker.notice;

import java.util.Optional;

/**
 * One place a termination notice can come from (AWS IMDS, GCP metadata, Azure Scheduled Events,
 * SIGTERM). The monitor calls {@link #poll()} from one thread of its own per source; a source that
 * long-polls (GCP {@code wait_for_change}) may block in it. "No notice" (e.g. an HTTP 404) is an
 * empty result, not an error.
 */
public interface NoticeSource extends AutoCloseable {
  /** A short name for logs and metrics ({@code aws-spot}, {@code gcp}, {@code azure}, ...). */
  String name();

  /** Checks once; returns a notice if one is in force. May throw on transport errors. */
  Optional<Notice> poll() throws Exception;

  /**
   * Called once the worker has drained for this notice, so a platform that waits for it may go on
   * (Azure: acknowledge the scheduled event). Default: nothing to do.
   */
  default void acknowledge(Notice notice) throws Exception {}

  @Override
  default void close() {}
}
