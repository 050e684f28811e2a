package dev.spotbatch.dispatcher.fleet.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Auto Scaling.
 *
 * @param region the AWS region ({@code us-east-1})
 * @param endpoint an endpoint override (a test server); null: the region's endpoint
 * @param maxAttempts attempts per call, the first included, by the SDK's standard retry strategy
 * @param apiCallTimeout the most one call may take, its retries included
 */
public record AwsClientSettings(
    String region, URI endpoint, int maxAttempts, Duration apiCallTimeout) {
  public AwsClientSettings {
    Objects.requireNonNull(region, "region");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
    if (apiCallTimeout == null || apiCallTimeout.isNegative() || apiCallTimeout.isZero()) {
      throw new IllegalArgumentException("apiCallTimeout must be > 0");
    }
  }

  /** The region's endpoint, 3 attempts (the SDK's standard), 20 s per call. */
  public static AwsClientSettings of(String region) {
    return new AwsClientSettings(region, null, 3, Duration.ofSeconds(20));
  }

  public AwsClientSettings withEndpoint(URI endpoint) {
    return new AwsClientSettings(region, endpoint, maxAttempts, apiCallTimeout);
  }
}
