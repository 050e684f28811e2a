package dev.spotbatch.local;

import dev.spotbatch.boot.QueueProperties;
import dev.spotbatch.codec.Json;
import dev.spotbatch.dispatcher.config.AutoscalerConfig;
import dev.spotbatch.dispatcher.config.AutoscalerProperties;
import dev.spotbatch.dispatcher.config.SpotbatchProperties;
import dev.spotbatch.dispatcher.fleet.local.ChaosMix;
import dev.spotbatch.dispatcher.fleet.local.ChaosScheduler;
import dev.spotbatch.dispatcher.fleet.local.FleetSizing;
import dev.spotbatch.dispatcher.fleet.local.HealthProbe;
import dev.spotbatch.dispatcher.fleet.local.LocalProcessFleet;
import dev.spotbatch.dispatcher.security.Tokens;
import dev.spotbatch.queue.kafka.KafkaOptions;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The local process fleet (the {@code CapacityProvider}) and its interrupt endpoint, when {@code
 * spotbatch.fleet.local.workers > 0} (a fixed fleet) or the autoscaler is on (then it sizes the
 * fleet and {@code workers} is ignored), and its chaos, when {@code
 * spotbatch.fleet.local.chaos.per-worker-hour > 0}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("${spotbatch.fleet.local.workers:0} > 0 or " + AutoscalerConfig.ENABLED)
@Import(LocalFleetController.class)
public class LocalFleetConfig {
  private static final Logger log = LoggerFactory.getLogger(LocalFleetConfig.class);

  @Bean(destroyMethod = "close")
  LocalProcessFleet localProcessFleet(
      SpotbatchProperties props,
      LocalFleetProperties local,
      Clock clock,
      ObjectProvider<EmbeddedSqsServer> embedded,
      ObjectProvider<KafkaOptions> kafka,
      ObjectProvider<AutoscalerProperties> autoscaler,
      @Value("${spring.cloud.aws.sqs.endpoint:}") String sqsEndpoint) {
    KafkaOptions kafkaOptions = kafka.getIfAvailable();
    EmbeddedSqsServer server = embedded.getIfAvailable();
    String endpoint =
        kafkaOptions != null ? null : server != null ? server.endpoint() : sqsEndpoint;
    List<String> extra = new ArrayList<>(workerQueueArgs(props.queue(), kafkaOptions));
    extra.addAll(local.workerArgs());
    // the workers show their leases (job and item ids) only to a holder of this token
    String managementToken = Tokens.generate(new SecureRandom());
    Map<String, String> env = new TreeMap<>(workerEnvironment(kafkaOptions));
    env.put("SPOTBATCH_WORKER_MANAGEMENT_TOKEN", managementToken);
    return new LocalProcessFleet(
        new LocalProcessFleet.Options(
            Path.of(System.getProperty("java.home")),
            local.workerJar().toAbsolutePath(),
            endpoint,
            props.dataPath(),
            local.stopGrace(),
            extra,
            local.noticePollInterval(),
            local.historySize(),
            env,
            local.workerJvmArgs(),
            !local.classDataSharing()
                ? null
                : local.classDataDir() != null
                    ? local.classDataDir().toAbsolutePath()
                    : props.dataPath().resolve("cache").resolve("worker-cds"),
            local.instanceType(),
            local.zone(),
            autoscaled(autoscaler) ? FleetSizing.AUTOSCALED : FleetSizing.FIXED),
        LocalProcessFleet::launchProcess,
        clock,
        HealthProbe.http(local.healthTimeout(), managementToken),
        LocalProcessFleet::freePortNow);
  }

  /** The autoscaler sizes the fleet when it runs (the same condition as its configuration). */
  static boolean autoscaled(ObjectProvider<AutoscalerProperties> autoscaler) {
    AutoscalerProperties a = autoscaler.getIfAvailable();
    return a != null && (a.enabled() || a.maxWorkers() != null);
  }

  /**
   * The queue settings every worker gets on its command line: non-default queue (topic) names and,
   * on Kafka, the queue type, the bootstrap servers (the embedded broker's when it runs) and every
   * Kafka setting that differs from its default.
   */
  static List<String> workerQueueArgs(QueueProperties queue, KafkaOptions kafka) {
    List<String> args = new ArrayList<>();
    if (kafka != null) {
      KafkaOptions defaults = KafkaOptions.defaults(kafka.bootstrapServers());
      args.add("--spotbatch.queue.type=kafka");
      args.add("--spotbatch.queue.kafka.bootstrap-servers=" + kafka.bootstrapServers());
      if (!defaults.workGroup().equals(kafka.workGroup())) {
        args.add("--spotbatch.queue.kafka.work-group=" + kafka.workGroup());
      }
      if (!defaults.eventsGroup().equals(kafka.eventsGroup())) {
        args.add("--spotbatch.queue.kafka.events-group=" + kafka.eventsGroup());
      }
      if (!defaults.lockDuration().equals(kafka.lockDuration())) {
        args.add("--spotbatch.queue.kafka.lock-duration=" + kafka.lockDuration().toMillis() + "ms");
      }
      if (defaults.maxReceiveCount() != kafka.maxReceiveCount()) {
        args.add("--spotbatch.queue.kafka.max-receive-count=" + kafka.maxReceiveCount());
      }
      if (defaults.partitions() != kafka.partitions()) {
        args.add("--spotbatch.queue.kafka.partitions=" + kafka.partitions());
      }
      if (!defaults.delayTiers().equals(kafka.delayTiers())) {
        args.add(
            "--spotbatch.queue.kafka.delay-tiers="
                + String.join(
                    ",", kafka.delayTiers().stream().map(d -> d.toSeconds() + "s").toList()));
      }
    }
    args.addAll(queue.nameArgs());
    return args;
  }

  /**
   * The Kafka client properties (security settings, possibly secrets) go to the workers in their
   * environment ({@code SPRING_APPLICATION_JSON}), not on a command line anyone can list.
   */
  static Map<String, String> workerEnvironment(KafkaOptions kafka) {
    if (kafka == null || kafka.clientProperties().isEmpty()) {
      return Map.of();
    }
    Map<String, String> json = new TreeMap<>();
    kafka
        .clientProperties()
        .forEach((k, v) -> json.put("spotbatch.queue.kafka.properties[" + k + "]", v));
    return Map.of("SPRING_APPLICATION_JSON", Json.mapper().writeValueAsString(json));
  }

  /**
   * Launches the workers once the dispatcher is up, keeps replacing those that are lost, reads
   * their health, and runs chaos when it is on.
   */
  @Bean
  SmartLifecycle localFleetSupervisor(
      LocalProcessFleet fleet, LocalFleetProperties local, Clock clock) {
    ChaosScheduler chaos = chaos(fleet, local.chaos(), clock);
    return new SmartLifecycle() {
      private ScheduledExecutorService timer;

      @Override
      public void start() {
        if (fleet.sizing() == FleetSizing.FIXED) {
          fleet.setDesired(local.workers());
        } else if (local.workers() > 0) {
          log.info(
              "the autoscaler sizes the local fleet; spotbatch.fleet.local.workers={} is ignored",
              local.workers());
        }
        timer =
            Executors.newScheduledThreadPool(
                2,
                r -> {
                  Thread t = new Thread(r, "spotbatch-fleet-supervisor");
                  t.setDaemon(true);
                  return t;
                });
        // the class-data archive (once per worker jar) off the startup thread; the fleet
        // launches workers once it is done
        timer.execute(fleet::prepareClassData);
        long ms = local.superviseInterval().toMillis();
        timer.scheduleWithFixedDelay(
            () -> {
              try {
                fleet.supervise();
                fleet.refresh();
              } catch (RuntimeException e) {
                log.warn("supervising the local fleet failed", e);
              }
            },
            Math.min(ms, 1000),
            ms,
            TimeUnit.MILLISECONDS);
        if (chaos != null) {
          long tick = local.chaos().tick().toMillis();
          timer.scheduleWithFixedDelay(
              () -> {
                try {
                  chaos.tick();
                } catch (RuntimeException e) {
                  log.warn("chaos failed", e);
                }
              },
              tick,
              tick,
              TimeUnit.MILLISECONDS);
        }
      }

      @Override
      public void stop() {
        if (timer != null) {
          timer.shutdownNow();
          timer = null;
        }
        fleet.close();
      }

      @Override
      public boolean isRunning() {
        return timer != null;
      }

      @Override
      public int getPhase() {
        return Integer.MAX_VALUE - 100; // after the web server and the event consumer start
      }
    };
  }

  private static ChaosScheduler chaos(
      LocalProcessFleet fleet, LocalFleetProperties.Chaos settings, Clock clock) {
    if (settings.perWorkerHour() <= 0) {
      return null;
    }
    ChaosMix mix = ChaosMix.parse(settings.mix());
    long seed = settings.seed() != 0 ? settings.seed() : System.nanoTime();
    log.warn(
        "CHAOS is on: each local worker is interrupted {} times an hour on average (mix {}, seed {})",
        settings.perWorkerHour(),
        mix,
        seed);
    // health is refreshed by the supervisor, so chaos reads the fleet's workers as they are
    return new ChaosScheduler(
        fleet, settings.perWorkerHour(), mix, clock, new SplittableRandom(seed));
  }
}
