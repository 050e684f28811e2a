package dev.spotbatch.worker.notice.http;

import java.io.IOException;

/** A metadata service answered, but not as its provider documents (unexpected status or header). */
public final class MetadataException extends IOException {
  private final int status;

  public MetadataException(String message, int status) {
    super(message);
    this.status = status;
  }

  /** The HTTP status of the unexpected answer, or -1. */
  public int status() {
    return status;
  }
}
