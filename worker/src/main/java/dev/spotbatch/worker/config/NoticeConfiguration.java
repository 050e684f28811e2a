package dev.spotbatch.worker.config;

import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.worker.notice.MetadataEndpoints;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.notice.NoticeListener;
import dev.spotbatch.worker.notice.NoticeMonitor;
import dev.spotbatch.worker.notice.NoticeSource;
import dev.spotbatch.worker.notice.Provider;
import dev.spotbatch.worker.notice.ProviderDetection;
import dev.spotbatch.worker.notice.aws.AwsInstanceFacts;
import dev.spotbatch.worker.notice.aws.AwsLifecycleNoticeSource;
import dev.spotbatch.worker.notice.aws.AwsRebalanceNoticeSource;
import dev.spotbatch.worker.notice.aws.AwsSpotNoticeSource;
import dev.spotbatch.worker.notice.aws.ImdsClient;
import dev.spotbatch.worker.notice.azure.AzureInstanceFacts;
import dev.spotbatch.worker.notice.azure.AzureMetadataClient;
import dev.spotbatch.worker.notice.azure.AzureScheduledEventsNoticeSource;
import dev.spotbatch.worker.notice.gcp.GcpInstanceFacts;
import dev.spotbatch.worker.notice.gcp.GcpMetadataClient;
import dev.spotbatch.worker.notice.gcp.GcpPreemptionNoticeSource;
import dev.spotbatch.worker.notice.http.MetadataHttp;
import dev.spotbatch.worker.notice.signal.SignalNoticeSource;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Spring wiring of the termination-notice sources ({@code spotbatch.worker.notice.*}): detects the
 * cloud, builds its sources plus the always-on SIGTERM source, runs them in a {@link NoticeMonitor}
 * started and stopped with the context, and exposes the detected {@link InstanceFacts} as bean
 * {@code detectedInstanceFacts}. Notices go to every {@link NoticeListener} bean of the context
 * (the drain; the lifecycle hook's completion), else they are only logged (and a SIGTERM is
 * acknowledged at once, so the hook does not wait for a drain nobody runs).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NoticeConfiguration.NoticeProperties.class)
public class NoticeConfiguration {
  private static final Logger log = LoggerFactory.getLogger(NoticeConfiguration.class);

  /**
   * Termination-notice settings, validated once.
   *
   * @param enabled false: no cloud sources and no SIGTERM hook (the monitor runs with nothing)
   * @param provider {@code auto} (probe), {@code aws}, {@code gcp}, {@code azure} or {@code none}
   * @param pollInterval how often AWS IMDS and Azure Scheduled Events are polled (50 ms..1 s)
   * @param lifecycleGrace deadline after an ASG {@code Terminated} is detected (AWS gives none)
   * @param sigtermGrace deadline after SIGTERM; the shutdown hook holds the JVM at most this long
   * @param gcpWait {@code timeout_sec} of GCP's hanging GET (1 s..5 min)
   * @param detectTimeout per-probe timeout of provider detection (at most 300 ms is sensible)
   * @param awsEndpoint IMDS base URL; default {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}, else
   *     {@code http://169.254.169.254}
   * @param gcpHost GCE metadata host or URL; default {@code GCE_METADATA_HOST}, else {@code
   *     metadata.google.internal}
   * @param azureEndpoint Azure IMDS base URL; default {@code SPOTBATCH_AZURE_METADATA_ENDPOINT},
   *     else {@code http://169.254.169.254}
   * @param azureVmName this VM's name in Scheduled Events; default: asked from IMDS
   * @param sigtermHook install the SIGTERM shutdown hook
   */
  @ConfigurationProperties("spotbatch.worker.notice")
  public record NoticeProperties(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("auto") Provider provider,
      @DefaultValue("1s") Duration pollInterval,
      @DefaultValue("120s") Duration lifecycleGrace,
      @DefaultValue("25s") Duration sigtermGrace,
      @DefaultValue("60s") Duration gcpWait,
      @DefaultValue("300ms") Duration detectTimeout,
      String awsEndpoint,
      String gcpHost,
      String azureEndpoint,
      String azureVmName,
      @DefaultValue("true") boolean sigtermHook) {
    public NoticeProperties {
      check(pollInterval, Duration.ofMillis(50), Duration.ofSeconds(1), "poll-interval");
      check(lifecycleGrace, Duration.ZERO, Duration.ofHours(2), "lifecycle-grace");
      check(sigtermGrace, Duration.ZERO, Duration.ofMinutes(10), "sigterm-grace");
      check(gcpWait, Duration.ofSeconds(1), Duration.ofMinutes(5), "gcp-wait");
      check(detectTimeout, Duration.ofMillis(10), Duration.ofSeconds(5), "detect-timeout");
      if (provider == null) {
        throw new IllegalArgumentException(
            "spotbatch.worker.notice.provider must be auto, aws, gcp, azure or none");
      }
    }

    private static void check(Duration d, Duration min, Duration max, String name) {
      if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            "spotbatch.worker.notice."
                + name
                + " must be within "
                + min
                + ".."
                + max
                + ", was "
                + d);
      }
    }

    MetadataEndpoints endpoints(Map<String, String> env) {
      return MetadataEndpoints.resolve(env, awsEndpoint, gcpHost, azureEndpoint);
    }
  }

  /** The cloud this worker watches: configured, else detected; NONE when disabled or not found. */
  public record DetectedProvider(Provider provider, MetadataEndpoints endpoints) {}

  @Bean
  DetectedProvider detectedProvider(NoticeProperties props) {
    MetadataEndpoints endpoints = props.endpoints(System.getenv());
    if (!props.enabled()) {
      return new DetectedProvider(Provider.NONE, endpoints);
    }
    Provider provider =
        new ProviderDetection(endpoints, props.detectTimeout()).resolve(props.provider());
    return new DetectedProvider(provider, endpoints);
  }

  @Bean(destroyMethod = "") // the monitor closes it
  SignalNoticeSource signalNoticeSource(
      NoticeProperties props,
      ObjectProvider<Clock> clock,
      ConfigurableApplicationContext context,
      Environment env) {
    SignalNoticeSource source =
        new SignalNoticeSource(clock.getIfAvailable(Clock::systemUTC), props.sigtermGrace());
    if (props.enabled() && props.sigtermHook()) {
      if (!env.getProperty("spring.main.register-shutdown-hook", Boolean.class, true)) {
        // Spring's own hook is off: close the context from ours, after the drain
        source.afterDrain(context::close);
      }
      source.install();
    }
    return source;
  }

  @Bean(destroyMethod = "close")
  NoticeMonitor noticeMonitor(
      NoticeProperties props,
      DetectedProvider detected,
      SignalNoticeSource signal,
      ObjectProvider<Clock> clockProvider,
      ObjectProvider<NoticeListener> listeners) {
    Clock clock = clockProvider.getIfAvailable(Clock::systemUTC);
    NoticeMonitor[] self = new NoticeMonitor[1];
    NoticeListener listener =
        notice -> {
          // the drain, and on AWS the lifecycle hook's completion, which must see its notice even
          // when another notice started the drain
          List<NoticeListener> targets = listeners.orderedStream().toList();
          if (targets.isEmpty()) {
            logOnly(notice, self[0]);
          }
          for (NoticeListener target : targets) {
            try {
              target.onNotice(notice);
            } catch (RuntimeException e) {
              log.warn("notice listener failed on {}: {}", notice.id(), e.toString());
            }
          }
        };
    NoticeMonitor.Builder builder = NoticeMonitor.builder(clock, listener);
    if (props.enabled()) {
      providerSources(detected.provider(), detected.endpoints(), props, clock)
          .forEach(builder::source);
      // SIGTERM costs nothing to poll and its grace is short: look often
      Duration signalInterval =
          props.pollInterval().compareTo(Duration.ofMillis(200)) < 0
              ? props.pollInterval()
              : Duration.ofMillis(200);
      builder.source(signal, signalInterval);
    }
    self[0] = builder.build();
    return self[0];
  }

  private static void logOnly(Notice notice, NoticeMonitor monitor) {
    log.warn(
        "termination notice {} ({}), but no NoticeListener is configured: nothing drains",
        notice.id(),
        notice.kind());
    if (monitor != null && notice.kind() == dev.spotbatch.model.NoticeKind.SIGTERM) {
      monitor.acknowledgeAll(notice); // let the shutdown hook return: there is no drain to wait for
    }
  }

  /** The sources of one provider with their poll intervals (GCP long-polls: zero). */
  static Map<NoticeSource, Duration> providerSources(
      Provider provider, MetadataEndpoints endpoints, NoticeProperties props, Clock clock) {
    Map<NoticeSource, Duration> sources = new LinkedHashMap<>();
    switch (provider) {
      case AWS:
        ImdsClient imds = new ImdsClient(endpoints.aws(), new MetadataHttp(), clock);
        sources.put(new AwsSpotNoticeSource(imds, clock), props.pollInterval());
        sources.put(
            new AwsLifecycleNoticeSource(imds, clock, props.lifecycleGrace()),
            props.pollInterval());
        sources.put(new AwsRebalanceNoticeSource(imds, clock), props.pollInterval());
        break;
      case GCP:
        GcpMetadataClient gcp = new GcpMetadataClient(endpoints.gcp(), new MetadataHttp());
        sources.put(new GcpPreemptionNoticeSource(gcp, clock, props.gcpWait()), Duration.ZERO);
        break;
      case AZURE:
        AzureMetadataClient azure = new AzureMetadataClient(endpoints.azure(), new MetadataHttp());
        sources.put(
            new AzureScheduledEventsNoticeSource(azure, clock, props.azureVmName()),
            props.pollInterval());
        break;
      case AUTO:
      case NONE:
        break;
    }
    return sources;
  }

  /** Starts the monitor early and stops it late (after the worker's own lifecycle has drained). */
  @Bean
  SmartLifecycle noticeMonitorLifecycle(NoticeMonitor monitor) {
    return new SmartLifecycle() {
      @Override
      public void start() {
        monitor.start();
      }

      @Override
      public void stop() {
        monitor.close();
      }

      @Override
      public boolean isRunning() {
        return monitor.isRunning();
      }

      @Override
      public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
      }
    };
  }

  /**
   * The facts of the machine as its metadata service tells them; {@code InstanceFacts.local(host)}
   * when no provider was found or the facts could not be read. The integrator decides whether
   * events carry these or the configured {@code spotbatch.worker.instance} facts.
   */
  @Bean
  InstanceFacts detectedInstanceFacts(DetectedProvider detected) {
    try {
      switch (detected.provider()) {
        case AWS:
          return AwsInstanceFacts.load(
              new ImdsClient(detected.endpoints().aws(), new MetadataHttp(), Clock.systemUTC()));
        case GCP:
          return GcpInstanceFacts.load(
              new GcpMetadataClient(detected.endpoints().gcp(), new MetadataHttp()));
        case AZURE:
          return AzureInstanceFacts.load(
              new AzureMetadataClient(detected.endpoints().azure(), new MetadataHttp()));
        case AUTO:
        case NONE:
          break;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("cannot read instance facts from {}: {}", detected.provider(), e.toString());
    }
    return InstanceFacts.local(hostName());
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "worker-" + UUID.randomUUID().toString().substring(0, 8);
    }
  }
}
