package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.fleet.CapacityProvider;
import dev.spotbatch.dispatcher.fleet.DrainReports;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/fleet}: the workers of the capacity provider (state, machine, instance facts,
 * leases, last drain, history), the desired and actual counts, and the interruptions so far when
 * the provider counts them.
 */
@RestController
@Tag(name = "fleet", description = "The workers, and interruptions of the local fleet")
public class FleetController {
  private static final String FLEET_EXAMPLE =
      "{\"provider\":\"local\",\"desired\":2,\"actual\":2,\"workers\":[{\"id\":"
          + "\"local-1\",\"state\":\"RUNNING\",\"pid\":4242,\"startedAt\":"
          + "\"2026-12-01T10:00:00Z\",\"generation\":1,\"instance\":{\"provider\":\"aws\","
          + "\"instanceId\":\"i-0local1\",\"instanceType\":\"m5.large\",\"region\":"
          + "\"us-east-1\",\"zone\":\"us-east-1a\",\"lifecycle\":\"SPOT\"},"
          + "\"metadataEndpoint\":\"http://127.0.0.1:41231\",\"managementPort\":41232,"
          + "\"activeLeases\":2,\"leases\":[],\"interruption\":null,\"lastDrain\":null,"
          + "\"lastDrainPhase\":null,\"restarts\":0,\"history\":[]}],\"interruptions\":"
          + "{\"spot\":0,\"rebalance\":0,\"lifecycle\":0,\"sigterm\":0,\"kill\":0}}";

  private final ObjectProvider<CapacityProvider> capacity;
  private final ObjectProvider<DrainReports> drains;

  public FleetController(
      ObjectProvider<CapacityProvider> capacity, ObjectProvider<DrainReports> drains) {
    this.capacity = capacity;
    this.drains = drains;
  }

  @GetMapping("/api/v1/fleet")
  @Operation(
      summary = "Show the fleet",
      description =
          "The capacity provider's name, desired and actual worker counts, and each worker:"
              + " state, process, instance facts (as its metadata endpoint serves them), leases,"
              + " pending interruption, last drain report and past processes; interruption"
              + " counts by kind when the provider counts them (the local fleet does).")
  @ApiResponse(
      responseCode = "200",
      description = "The fleet",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(type = "object"),
              examples = @ExampleObject(name = "local-fleet", value = FLEET_EXAMPLE)))
  public Map<String, Object> fleet() {
    CapacityProvider c = capacity.getIfAvailable();
    Map<String, Object> out = new LinkedHashMap<>();
    if (c == null) {
      out.put("provider", "none");
      out.put("desired", 0);
      out.put("actual", 0);
      out.put("workers", List.of());
      return out;
    }
    c.refresh();
    List<WorkerView> workers = c.workers();
    DrainReports reports = drains.getIfAvailable();
    List<Map<String, Object>> list = new ArrayList<>();
    for (WorkerView w : workers) {
      list.add(worker(w, reports));
    }
    out.put("provider", c.name());
    out.put("desired", c.desired());
    out.put("actual", workers.stream().filter(WorkerView::alive).count());
    out.put("workers", list);
    Map<String, Long> interruptions = c.interruptions();
    if (!interruptions.isEmpty()) {
      out.put("interruptions", interruptions);
    }
    return out;
  }

  private static Map<String, Object> worker(WorkerView w, DrainReports reports) {
    WorkerView.Machine machine = w.machine();
    WorkerView.LeaseReport leases = w.leases();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", w.id());
    m.put("state", w.state());
    m.put("pid", machine == null ? null : machine.pid());
    m.put("startedAt", machine == null ? null : machine.startedAt());
    m.put("generation", w.generation());
    m.put("instance", machine == null ? null : machine.instance());
    m.put("metadataEndpoint", machine == null ? null : machine.metadataEndpoint());
    m.put("managementPort", machine == null ? null : machine.managementPort());
    m.put("activeLeases", leases == null ? null : leases.active());
    m.put("leases", leases == null || leases.leases() == null ? List.of() : leases.leases());
    m.put("interruption", w.interruption());
    m.put(
        "lastDrain",
        reports == null
            ? null
            : reports.latest(w.id()).map(DrainReports.WorkerDrain::report).orElse(null));
    m.put(
        "lastDrainPhase",
        reports == null
            ? null
            : reports.latest(w.id()).map(DrainReports.WorkerDrain::phase).orElse(null));
    m.put("restarts", w.restarts());
    m.put("history", w.history());
    return m;
  }
}
