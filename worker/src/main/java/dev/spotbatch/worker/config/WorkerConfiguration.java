package dev.spotbatch.worker.config;

import dev.spotbatch.boot.CircuitBreakerMetrics;
import dev.spotbatch.boot.QueueProperties;
import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.drain.DrainSettings;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.resilience.Backoff;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.ObjectStores;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.store.local.LocalObjectStore;
import dev.spotbatch.store.s3.S3ObjectStore;
import dev.spotbatch.worker.WorkerMetrics;
import dev.spotbatch.worker.WorkerRuntime;
import dev.spotbatch.worker.drain.Drainer;
import dev.spotbatch.worker.inference.Batchers;
import dev.spotbatch.worker.inference.ModelRegistry;
import dev.spotbatch.worker.item.CancelledJobs;
import dev.spotbatch.worker.item.ChunkPipeline;
import dev.spotbatch.worker.item.EventFactory;
import dev.spotbatch.worker.item.ItemCommitter;
import dev.spotbatch.worker.item.ItemProcessor;
import dev.spotbatch.worker.lease.ActiveItems;
import dev.spotbatch.worker.lease.Heartbeat;
import dev.spotbatch.worker.lease.LeaseLoop;
import dev.spotbatch.worker.notice.NoticeListener;
import dev.spotbatch.worker.plugin.Plugins;
import dev.spotbatch.worker.task.Tokenizers;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Spring Boot wiring of the worker core: object stores, item processing, the lease loop, heartbeat,
 * drain and the lifecycle (queues: {@link QueueConfiguration}; models: {@link ModelConfiguration};
 * health: {@link WorkerHealthConfiguration}). The core classes know nothing of Spring; the
 * runtime's stop chain is closed here, not by bean destroy methods (hence {@code destroyMethod =
 * ""}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
  WorkerProperties.class,
  QueueProperties.class,
  DeviceProperties.class,
  OnnxProperties.class,
  ModelCacheProperties.class,
  PluginProperties.class
})
public class WorkerConfiguration {
  private static final Logger log = LoggerFactory.getLogger(WorkerConfiguration.class);

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  @ConditionalOnMissingBean
  MessageCodec messageCodec() {
    return new MessageCodec();
  }

  @Bean
  WorkerMetrics workerMetrics(MeterRegistry registry) {
    CircuitBreakerMetrics.register(registry);
    return new WorkerMetrics(registry);
  }

  @Bean
  ObjectStore objectStore(WorkerProperties props, ObjectProvider<S3Client> s3) {
    Map<String, ObjectStore> stores = new HashMap<>();
    if (!props.localRoots().isEmpty()) {
      stores.put(StoreUri.FILE, new LocalObjectStore(props.localRoots()));
    }
    S3Client client = s3.getIfAvailable();
    if (client != null) {
      stores.put(StoreUri.S3, new S3ObjectStore(client));
    }
    log.info("object stores: {}; allowed roots: {}", stores.keySet(), props.allowedRoots());
    return new ObjectStores(stores);
  }

  @Bean
  ActiveItems activeItems(WorkerMetrics metrics) {
    ActiveItems items = new ActiveItems();
    metrics.leasesActive(items::size);
    return items;
  }

  @Bean
  Backoff backoff(WorkerProperties props, WorkSource queue) {
    // never longer than the queue can hold an item back
    return new Backoff(
            props.retryBaseDelay(), props.retryMaxDelay(), 2.0, 0.5, ThreadLocalRandom::current)
        .cappedAt(queue.maxDelay());
  }

  /**
   * Every event this worker publishes names it and the machine it runs on; its stop reports its
   * machine time from the process start (JVM start-up is machine time too) and its pool, when the
   * fleet that launched it says ({@code spotbatch.worker.pool}).
   */
  @Bean
  EventFactory eventFactory(
      WorkerProperties props,
      Clock clock,
      @Qualifier("detectedInstanceFacts") ObjectProvider<InstanceFacts> detected,
      @Value("${spotbatch.worker.pool:}") String pool) {
    Instant started = ProcessHandle.current().info().startInstant().orElseGet(clock::instant);
    return new EventFactory(
        props.id(),
        props.instanceFacts(detected.getIfAvailable()),
        clock,
        started,
        pool.isBlank() ? null : pool);
  }

  @Bean
  ItemCommitter itemCommitter(
      WorkSource queue,
      EventQueue events,
      ObjectStore store,
      EventFactory eventFactory,
      Backoff backoff,
      Clock clock,
      WorkerMetrics metrics) {
    return new ItemCommitter(queue, events, store, eventFactory, backoff, clock, metrics);
  }

  /**
   * Which jobs are cancelled, from their cancel markers; {@code
   * spotbatch.worker.cancel-check-interval} (default 1 s) is how long a "not cancelled" answer is
   * trusted, so the longest a cancelled job's item goes on here.
   */
  @Bean
  CancelledJobs cancelledJobs(
      ObjectStore store,
      Clock clock,
      @Value("${spotbatch.worker.cancel-check-interval:1s}") Duration recheck) {
    return new CancelledJobs(store, clock, recheck);
  }

  @Bean
  ItemProcessor itemProcessor(
      Plugins plugins,
      ItemCommitter committer,
      ObjectStore store,
      Batchers batchers,
      CancelledJobs cancelledJobs,
      WorkerProperties props,
      Clock clock,
      WorkerMetrics metrics) {
    return new ItemProcessor(
        committer,
        new ChunkPipeline(store, clock, metrics, cancelledJobs),
        batchers,
        props.storageRoots(),
        props.tempDir(),
        new Tokenizers(props.modelCacheDir()),
        plugins);
  }

  @Bean(destroyMethod = "")
  Heartbeat heartbeat(
      WorkSource queue,
      ActiveItems items,
      WorkerProperties props,
      Clock clock,
      WorkerMetrics metrics) {
    return new Heartbeat(
        queue, items, props.leaseTime(), props.heartbeatInterval(), clock, metrics);
  }

  @Bean
  LeaseLoop leaseLoop(
      WorkSource queue,
      ActiveItems items,
      ItemProcessor processor,
      WorkerProperties props,
      Clock clock) {
    return new LeaseLoop(
        queue,
        props.concurrency(),
        props.pollWait(),
        props.leaseTime(),
        Duration.ofSeconds(1),
        items,
        processor::process,
        clock);
  }

  @Bean(destroyMethod = "")
  WorkerRuntime workerRuntime(
      LeaseLoop loop,
      Heartbeat heartbeat,
      ActiveItems items,
      Batchers batchers,
      ModelRegistry models,
      WorkSource queue,
      EventQueue events,
      WorkerProperties props) {
    return new WorkerRuntime(
        loop,
        heartbeat,
        items,
        batchers,
        models,
        queue,
        events,
        props.pollWait(),
        props.shutdownGrace());
  }

  /**
   * The deadline-aware drain, as the {@link NoticeListener} the notice monitor calls; also the
   * runtime's graceful stop (SIGTERM / context close: deadline = now + shutdown grace). Once
   * drained it closes the runtime's clients; exiting the process is up to whoever registers {@link
   * Drainer#onDrained}. On start it marks the application as refusing traffic.
   */
  @Bean
  Drainer drainer(
      LeaseLoop loop,
      ActiveItems items,
      ItemCommitter committer,
      EventQueue events,
      EventFactory eventFactory,
      WorkerProperties props,
      Clock clock,
      WorkerRuntime runtime,
      ApplicationEventPublisher publisher) {
    WorkerProperties.Drain d = props.drain();
    Drainer drainer =
        new Drainer(
            loop,
            items,
            committer,
            events,
            eventFactory,
            new DrainSettings(d.margins(), d.rebalancePolicy(), props.shutdownGrace(), d.tick()),
            clock);
    drainer.stopRuntimeWith(runtime::closeClients);
    drainer.onStarted(
        () -> AvailabilityChangeEvent.publish(publisher, drainer, ReadinessState.REFUSING_TRAFFIC));
    runtime.drainWith(drainer::drainForStop);
    return drainer;
  }

  @Bean
  WorkerLifecycle workerLifecycle(
      WorkerRuntime runtime,
      WorkerProperties props,
      @Qualifier(WarmStartListener.BEAN) ObjectProvider<ModelWarmStart> warm) {
    ModelWarmStart started = warm.getIfAvailable();
    return new WorkerLifecycle(runtime, props, started == null ? () -> {} : started::awaitPreload);
  }
}
