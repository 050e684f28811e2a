package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.fleet.CapacityProvider;
import dev.spotbatch.dispatcher.fleet.WorkerState;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/fleet}: the workers and the desired/actual counts. */
@RestController
public class FleetController {
  private final ObjectProvider<CapacityProvider> capacity;

  public FleetController(ObjectProvider<CapacityProvider> capacity) {
    this.capacity = capacity;
  }

  @GetMapping("/api/v1/fleet")
  public Map<String, Object> fleet() {
    CapacityProvider c = capacity.getIfAvailable();
    if (c == null) {
      return Map.of("provider", "none", "desired", 0, "actual", 0, "workers", List.of());
    }
    List<WorkerView> workers = c.workers();
    long actual = workers.stream().filter(w -> w.state() == WorkerState.RUNNING).count();
    return Map.of(
        "provider", c.getClass().getSimpleName(),
        "desired", c.desired(),
        "actual", actual,
        "workers", workers);
  }
}
