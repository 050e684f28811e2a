package dev.spotbatch.dispatcher.config;

import dev.spotbatch.dispatcher.fleet.LocalProcessFleet;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The local process fleet (the {@code CapacityProvider}), when {@code spotbatch.fleet.local.workers > 0}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("${spotbatch.fleet.local.workers:0} > 0")
public class FleetConfig {

  @Bean(destroyMethod = "close")
  LocalProcessFleet localProcessFleet(
      SpotbatchProperties props,
      Clock clock,
      ObjectProvider<EmbeddedSqsServer> embedded,
      @Value("${spring.cloud.aws.sqs.endpoint:}") String sqsEndpoint) {
    EmbeddedSqsServer server = embedded.getIfAvailable();
    String endpoint = server != null ? server.endpoint() : sqsEndpoint;
    SpotbatchProperties.Fleet.Local local = props.fleet().local();
    List<String> extra = new ArrayList<>();
    if (!"spotbatch-work".equals(props.queue().work())) {
      extra.add("--spotbatch.queue.work=" + props.queue().work());
    }
    if (!"spotbatch-events".equals(props.queue().events())) {
      extra.add("--spotbatch.queue.events=" + props.queue().events());
    }
    return new LocalProcessFleet(
        new LocalProcessFleet.Options(
            Path.of(System.getProperty("java.home")), local.workerJar().toAbsolutePath(),
            endpoint, props.dataPath(), local.stopGrace(), extra),
        LocalProcessFleet::launchProcess,
        clock);
  }

  /** Launches the workers once the dispatcher is up and keeps restarting those that exit. */
  @Bean
  SmartLifecycle localFleetSupervisor(LocalProcessFleet fleet, SpotbatchProperties props) {
    return new SmartLifecycle() {
      private ScheduledExecutorService timer;

      @Override
      public void start() {
        fleet.setDesired(props.fleet().local().workers());
        timer =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "spotbatch-fleet-supervisor");
                  t.setDaemon(true);
                  return t;
                });
        long ms = props.fleet().local().superviseInterval().toMillis();
        timer.scheduleWithFixedDelay(fleet::supervise, ms, ms, TimeUnit.MILLISECONDS);
      }

      @Override
      public void stop() {
        if (timer != null) {
          timer.shutdown();
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
}
