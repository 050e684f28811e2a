package dev.spotbatch.resilience;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/**
 * Turns the AWS SDK's own retries off for the clients whose calls run under {@link CloudCalls}: one
 * retry layer per call. With both, a failing call was tried up to 3 x 5 = 15 times under two
 * stacked backoffs, and the circuit breaker saw one failure where the service had failed three
 * times. {@link CloudCalls} stays the layer because it holds the project's one backoff policy, the
 * transient-error test and the circuit breaker (with its metrics).
 */
public final class SdkRetries {
  private SdkRetries() {}

  /** Sets a do-not-retry strategy on a client's override configuration. */
  public static ClientOverrideConfiguration.Builder off(
      ClientOverrideConfiguration.Builder config) {
    return config.retryStrategy(AwsRetryStrategy.doNotRetry());
  }
}
