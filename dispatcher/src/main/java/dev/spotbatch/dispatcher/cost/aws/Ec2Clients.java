package dev.spotbatch.dispatcher.cost.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;

/**
 * Builds the EC2 client for price reads the same way in production and tests (only the endpoint
 * differs): the SDK's standard retry strategy, three attempts, a bounded call time.
 */
public final class Ec2Clients {
  private Ec2Clients() {}

  /**
   * @param endpoint null: the region's own endpoint
   */
  public static Ec2Client create(String region, AwsCredentialsProvider credentials, URI endpoint) {
    Ec2ClientBuilder b =
        Ec2Client.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3).build())
                    .apiCallTimeout(Duration.ofSeconds(30))
                    .build());
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    return b.build();
  }
}
