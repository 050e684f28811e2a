package dev.spotbatch.resilience;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Decides which failures of a cloud call are worth retrying: network, 5xx and throttling. */
public final class TransientErrors {
  private TransientErrors() {}

  /**
   * True for client-side failures (connection, timeout, I/O), server errors (5xx), throttling (429
   * or a throttling error code) and {@link Retryable} failures; false for everything else (4xx, a
   * lost lease, a missing object).
   */
  public static boolean isTransient(Throwable error) {
    Throwable t = unwrap(error);
    if (t instanceof Retryable) {
      return true;
    }
    if (t instanceof AwsServiceException service) {
      int status = service.statusCode();
      return status >= 500 || status == 429 || service.isThrottlingException();
    }
    if (t instanceof SdkClientException) {
      return true;
    }
    return t instanceof IOException || t instanceof UncheckedIOException;
  }

  /** The cause of a {@link CompletionException} or {@link ExecutionException}, else the error. */
  public static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Marks an exception an adapter throws to have its call retried, e.g. when some entries of a
   * batch failed on the server side and must be sent again.
   */
  public interface Retryable {}
}
