package dev.spotbatch.worker.config;

import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.worker.WorkerMetrics;
import dev.spotbatch.worker.drain.Drainer;
import dev.spotbatch.worker.notice.NoticeListener;
import dev.spotbatch.worker.notice.Provider;
import dev.spotbatch.worker.notice.aws.ImdsClient;
import dev.spotbatch.worker.notice.aws.LifecycleActionCompleter;
import dev.spotbatch.worker.notice.aws.LifecycleHookCompletion;
import dev.spotbatch.worker.notice.aws.LifecycleHookLookup;
import dev.spotbatch.worker.notice.http.MetadataHttp;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.AutoScalingClientBuilder;

/**
 * Wires the termination lifecycle hook ({@code spotbatch.worker.aws.*}): on AWS, with a hook named
 * by configuration or the instance's tags, a {@link LifecycleHookCompletion} hears the notices (it
 * is a {@code NoticeListener}) and completes the action when the drain ends. Anywhere else, or
 * without a hook, the bean is {@link LifecycleHookBinding#none() inactive} and no Auto Scaling
 * client is built. Resolving the hook never stops the worker from starting.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AwsWorkerProperties.class)
public class AwsLifecycleHookConfiguration {
  private static final Logger log = LoggerFactory.getLogger(AwsLifecycleHookConfiguration.class);

  /** The hook this worker completes, with the client it uses; inactive when there is none. */
  public record LifecycleHookBinding(
      LifecycleActionCompleter.Hook hook,
      AutoScalingClient client,
      LifecycleHookCompletion completion)
      implements AutoCloseable {
    static LifecycleHookBinding none() {
      return new LifecycleHookBinding(null, null, null);
    }

    public boolean active() {
      return completion != null;
    }

    @Override
    public void close() {
      if (completion != null) {
        completion.close();
      }
      if (client != null) {
        client.close();
      }
    }
  }

  @Bean(destroyMethod = "close")
  LifecycleHookBinding lifecycleHookBinding(
      AwsWorkerProperties aws,
      NoticeConfiguration.DetectedProvider detected,
      @Qualifier("detectedInstanceFacts") ObjectProvider<InstanceFacts> detectedFacts,
      WorkerProperties props,
      ObjectProvider<AwsCredentialsProvider> credentials,
      ObjectProvider<AwsRegionProvider> regions,
      Clock clock,
      WorkerMetrics metrics,
      Drainer drainer) {
    if (aws.completeLifecycleHook() == AwsWorkerProperties.HookMode.OFF
        || detected.provider() != Provider.AWS) {
      return LifecycleHookBinding.none();
    }
    InstanceFacts facts = props.instanceFacts(detectedFacts.getIfAvailable());
    LifecycleHookLookup tags =
        new LifecycleHookLookup(
            new ImdsClient(detected.endpoints().aws(), new MetadataHttp(), clock));
    Optional<String> hookName =
        Optional.ofNullable(aws.lifecycleHook()).or(() -> tags.tag(LifecycleHookLookup.HOOK_TAG));
    if (hookName.isEmpty()) {
      log.info(
          "no termination lifecycle hook named (spotbatch.worker.aws.lifecycle-hook or the instance"
              + " tag {}): Auto Scaling's own timeout ends a scale-in's wait",
          LifecycleHookLookup.HOOK_TAG);
      return LifecycleHookBinding.none();
    }
    String region = aws.region() != null ? aws.region() : facts.region();
    if (region == null) {
      region =
          Optional.ofNullable(regions.getIfAvailable()).map(r -> r.getRegion().id()).orElse(null);
    }
    if (region == null) {
      log.warn(
          "lifecycle hook {}: no region (spotbatch.worker.aws.region or IMDS placement/region);"
              + " it will not be completed",
          hookName.get());
      return LifecycleHookBinding.none();
    }
    AutoScalingClient client =
        client(
            aws,
            region,
            credentials.getIfAvailable(() -> DefaultCredentialsProvider.builder().build()));
    Optional<String> group =
        Optional.ofNullable(aws.groupName())
            .or(() -> tags.tag(LifecycleHookLookup.GROUP_TAG))
            .or(() -> LifecycleActionCompleter.groupOf(client, facts.instanceId()));
    if (group.isEmpty()) {
      log.warn(
          "lifecycle hook {}: instance {} is in no Auto Scaling group that this worker can find"
              + " (spotbatch.worker.aws.group-name, the instance tag {}); it will not be completed",
          hookName.get(),
          facts.instanceId(),
          LifecycleHookLookup.GROUP_TAG);
      client.close();
      return LifecycleHookBinding.none();
    }
    LifecycleActionCompleter.Hook hook =
        new LifecycleActionCompleter.Hook(group.get(), hookName.get(), aws.heartbeatTimeout());
    LifecycleActionCompleter completer =
        new LifecycleActionCompleter(
            client,
            hook,
            facts.instanceId(),
            clock,
            aws.heartbeatLead(),
            (call, outcome) ->
                metrics.lifecycleHookCall(
                    call.name().toLowerCase(Locale.ROOT), outcome.name().toLowerCase(Locale.ROOT)));
    LifecycleHookCompletion completion =
        new LifecycleHookCompletion(completer, aws.heartbeatCheck());
    // registered before the application's exit callback, so the action is completed first
    drainer.onDrained(report -> completion.drained());
    log.info(
        "termination lifecycle hook {} of group {} (instance {}, region {}): completed after the"
            + " drain, heartbeats when a drain outlasts {}",
        hook.hookName(),
        hook.groupName(),
        facts.instanceId(),
        region,
        hook.heartbeatTimeout());
    return new LifecycleHookBinding(hook, client, completion);
  }

  /** The binding's completion as the notice monitor's second listener (after the drain). */
  @Bean
  NoticeListener lifecycleHookNotices(LifecycleHookBinding binding) {
    return notice -> {
      if (binding.active()) {
        binding.completion().onNotice(notice);
      }
    };
  }

  /**
   * The same client setup as the dispatcher's: the SDK's standard retry strategy (throttling and
   * 5xx retried with jittered backoff) and nothing retried above it.
   */
  static AutoScalingClient client(
      AwsWorkerProperties aws, String region, AwsCredentialsProvider credentials) {
    AutoScalingClientBuilder builder =
        AutoScalingClient.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(aws.maxAttempts())
                            .build())
                    .apiCallTimeout(aws.apiCallTimeout())
                    .build());
    if (aws.endpoint() != null) {
      builder.endpointOverride(aws.endpoint());
    }
    return builder.build();
  }
}
