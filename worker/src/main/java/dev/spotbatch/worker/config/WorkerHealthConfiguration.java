package dev.spotbatch.worker.config;

import dev.spotbatch.model.WorkItem;
import dev.spotbatch.worker.drain.Drainer;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ActiveItems;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The worker's own health contributor: whether it leases, and which leases it holds. */
@Configuration(proxyBeanMethods = false)
class WorkerHealthConfiguration {

  /**
   * UP while the worker runs and leases; OUT_OF_SERVICE once it stops leasing (drain, rebalance
   * recommendation) or stops. The local fleet reads {@code activeLeases}, {@code leases} and {@code
   * draining} from {@code /actuator/health}.
   */
  @Bean
  HealthIndicator workerHealthIndicator(
      WorkerLifecycle lifecycle, ActiveItems items, Drainer drainer, Clock clock) {
    return () -> {
      List<ActiveItem> active = items.snapshot();
      List<Map<String, Object>> leases = new ArrayList<>(active.size());
      for (ActiveItem a : active) {
        WorkItem item = a.lease().item();
        Map<String, Object> lease = new LinkedHashMap<>();
        lease.put("itemId", item.itemId());
        lease.put("jobId", item.jobId());
        lease.put("range", Map.of("start", item.range().start(), "end", item.range().end()));
        lease.put("recordsDone", a.progress(clock).total());
        leases.add(lease);
      }
      boolean ready = lifecycle.isRunning() && !drainer.isDraining() && !drainer.isLeasingStopped();
      return (ready ? Health.up() : Health.outOfService())
          .withDetail("activeLeases", active.size())
          .withDetail("leases", leases)
          .withDetail("draining", drainer.isDraining())
          .build();
    };
  }
}
