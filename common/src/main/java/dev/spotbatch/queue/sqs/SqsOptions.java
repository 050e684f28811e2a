package dev.spotbatch.queue.sqs;

import dev.spotbatch.resilience.RetryOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the SQS adapters, validated once.
 *
 * @param maxDelay the longest requeue delay; longer delays are capped to it (SQS allows 15 min)
 * @param maxBatchBytes the largest SendMessageBatch payload (SQS allows 256 KiB)
 * @param retry retry and circuit-breaker policy for transient SQS errors
 * @param sendConcurrency how many SendMessageBatch calls a large send keeps in flight at once
 */
public record SqsOptions(
    Duration maxDelay, int maxBatchBytes, RetryOptions retry, int sendConcurrency) {
  /** Default number of SendMessageBatch calls in flight for a large send. */
  public static final int DEFAULT_SEND_CONCURRENCY = 4;

  /** The SQS limit on a message delay. */
  public static final Duration SQS_MAX_DELAY = Duration.ofMinutes(15);

  /** The SQS limit on a message and on a whole batch. */
  public static final int SQS_MAX_BATCH_BYTES = 256 * 1024;

  public SqsOptions {
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(retry, "retry");
    if (maxDelay.isNegative() || maxDelay.compareTo(SQS_MAX_DELAY) > 0) {
      throw new IllegalArgumentException(
          "maxDelay must be between 0 and " + SQS_MAX_DELAY + " (the SQS limit), was " + maxDelay);
    }
    if (maxBatchBytes < 1024 || maxBatchBytes > SQS_MAX_BATCH_BYTES) {
      throw new IllegalArgumentException(
          "maxBatchBytes must be between 1024 and "
              + SQS_MAX_BATCH_BYTES
              + ", was "
              + maxBatchBytes);
    }
    if (sendConcurrency < 1 || sendConcurrency > 64) {
      throw new IllegalArgumentException(
          "sendConcurrency must be between 1 and 64, was " + sendConcurrency);
    }
  }

  public SqsOptions(Duration maxDelay, int maxBatchBytes, RetryOptions retry) {
    this(maxDelay, maxBatchBytes, retry, DEFAULT_SEND_CONCURRENCY);
  }

  /** 15-minute maximum delay, 256 KiB batches, {@link RetryOptions#defaults()}. */
  public static SqsOptions defaults() {
    return new SqsOptions(SQS_MAX_DELAY, SQS_MAX_BATCH_BYTES, RetryOptions.defaults());
  }

  public SqsOptions withRetry(RetryOptions next) {
    return new SqsOptions(maxDelay, maxBatchBytes, next, sendConcurrency);
  }
}
