package dev.spotbatch.dispatcher.config;

import dev.spotbatch.dispatcher.fleet.WorkerLeases;
import dev.spotbatch.dispatcher.fleet.aws.AutoScalingClients;
import dev.spotbatch.dispatcher.fleet.aws.AwsAutoScalingCapacity;
import dev.spotbatch.dispatcher.fleet.aws.AwsCapacityProvider;
import dev.spotbatch.dispatcher.fleet.aws.AwsClientSettings;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/**
 * The AWS Auto Scaling capacity provider ({@code spotbatch.fleet.provider=aws}, settings {@code
 * spotbatch.fleet.aws.*}): one group per pool, the {@code CapacityProvider} bean that {@code GET
 * /api/v1/fleet} and the autoscaler use. Credentials come from the default chain (the instance
 * profile in production). The groups are described once at start so a misnamed group shows in the
 * log at once; AWS being unreachable does not stop the start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spotbatch.fleet.provider", havingValue = "aws")
@EnableConfigurationProperties(AwsFleetProperties.class)
public class AwsFleetConfig {
  private static final Logger log = LoggerFactory.getLogger(AwsFleetConfig.class);

  @Bean(destroyMethod = "close")
  AwsCapacityProvider awsCapacityProvider(
      AwsFleetProperties props,
      ObjectProvider<AwsCredentialsProvider> credentials,
      ObjectProvider<AwsRegionProvider> regions,
      Clock clock,
      WorkerLeases leases) {
    props.requirePools();
    String region =
        Optional.ofNullable(props.region())
            .or(() -> Optional.ofNullable(regions.getIfAvailable()).map(AwsFleetConfig::regionOf))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "spotbatch.fleet.aws.region (or spring.cloud.aws.region.static) is"
                            + " required with spotbatch.fleet.provider=aws"));
    AwsClientSettings settings =
        new AwsClientSettings(
            region, props.endpoint(), props.maxAttempts(), props.apiCallTimeout());
    AutoScalingClient client =
        AutoScalingClients.create(
            settings,
            credentials.getIfAvailable(() -> DefaultCredentialsProvider.builder().build()));
    var pools = props.poolGroups();
    AwsCapacityProvider provider =
        new AwsCapacityProvider(
            client,
            new AwsAutoScalingCapacity(
                client, AwsCapacityProvider.asgPools(pools), clock, props.failureWindow()),
            pools,
            region,
            leases);
    log.info(
        "AWS Auto Scaling capacity in {}{}: {}",
        region,
        settings.endpoint() == null ? "" : " at " + settings.endpoint(),
        pools);
    provider.refresh();
    return provider;
  }

  private static String regionOf(AwsRegionProvider regions) {
    try {
      return regions.getRegion().id();
    } catch (RuntimeException e) { // no region anywhere in the chain
      return null;
    }
  }
}
