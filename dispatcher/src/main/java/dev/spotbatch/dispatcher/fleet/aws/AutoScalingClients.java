package dev.spotbatch.dispatcher.fleet.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.AutoScalingClientBuilder;

/**
 * Builds the Auto Scaling client the same way for production and tests; only the endpoint override
 * differs. Retries are configured here and only here: the SDK's standard strategy (exponential
 * backoff with jitter, throttling errors and 5xx retried, a token bucket that stops retry storms)
 * with {@link AwsClientSettings#maxAttempts()} attempts. Nothing above it retries.
 */
public final class AutoScalingClients {
  private AutoScalingClients() {}

  public static AutoScalingClient create(
      AwsClientSettings settings, AwsCredentialsProvider credentials) {
    AutoScalingClientBuilder builder =
        AutoScalingClient.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .overrideConfiguration(overrides(settings));
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    return builder.build();
  }

  static ClientOverrideConfiguration overrides(AwsClientSettings settings) {
    return ClientOverrideConfiguration.builder()
        .retryStrategy(
            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(settings.maxAttempts())
                .build())
        .apiCallTimeout(settings.apiCallTimeout())
        .build();
  }
}
