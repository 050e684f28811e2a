package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.fleet.CapacityProvider;
import dev.spotbatch.dispatcher.fleet.DrainReports;
import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.dispatcher.fleet.PoolView;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import dev.spotbatch.dispatcher.fleet.autoscale.AutoscalerLoop;
import dev.spotbatch.dispatcher.fleet.scaling.Decision;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
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
import org.springframework.web.bind.annotation.RequestParam;
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
      "{\"provider\":\"local\",\"desired\":2,\"actual\":2,\"pools\":[{\"name\":"
          + "\"local-spot\",\"provider\":\"local\",\"instanceType\":\"g5.xlarge\",\"zone\":"
          + "\"local-1a\",\"lifecycle\":\"SPOT\",\"desired\":2,\"actual\":2,\"blockedUntil\":"
          + "null,\"interruptionsPerHour\":0.05,\"usdPerHour\":0.0}],\"workers\":[{\"id\":"
          + "\"local-1\",\"state\":\"RUNNING\",\"pid\":4242,\"startedAt\":"
          + "\"2026-12-01T10:00:00Z\",\"generation\":1,\"instance\":{\"provider\":\"aws\","
          + "\"instanceId\":\"i-0local1\",\"instanceType\":\"m5.large\",\"region\":"
          + "\"us-east-1\",\"zone\":\"us-east-1a\",\"lifecycle\":\"SPOT\"},"
          + "\"metadataEndpoint\":\"http://127.0.0.1:41231\",\"managementPort\":41232,"
          + "\"activeLeases\":2,\"leases\":[],\"interruption\":null,\"lastDrain\":null,"
          + "\"lastDrainPhase\":null,\"restarts\":0,\"history\":[]}],\"interruptions\":"
          + "{\"spot\":0,\"rebalance\":0,\"lifecycle\":0,\"sigterm\":0,\"kill\":0}}";

  private static final String DECISIONS_EXAMPLE =
      "[{\"at\":\"2026-12-01T10:00:10Z\",\"pool\":\"local-spot\",\"from\":0,\"to\":2,"
          + "\"cause\":\"SCALE_UP\",\"reason\":\"working 0 -> 2: need 4.4 rec/s (1 undated"
          + " job(s) need 4.0 rec/s to drain 3600 records within 15m), plan 200 rec/s; ...\"}]";
  static final int DEFAULT_DECISIONS = 50;

  private final ObjectProvider<CapacityProvider> capacity;
  private final ObjectProvider<DrainReports> drains;
  private final ObjectProvider<AutoscalerLoop> autoscaler;

  public FleetController(
      ObjectProvider<CapacityProvider> capacity,
      ObjectProvider<DrainReports> drains,
      ObjectProvider<AutoscalerLoop> autoscaler) {
    this.capacity = capacity;
    this.drains = drains;
    this.autoscaler = autoscaler;
  }

  @GetMapping("/api/v1/fleet")
  @Operation(
      summary = "Show the fleet",
      description =
          "The capacity provider's name, desired and actual worker counts, its pools (name,"
              + " provider, instance type, zone, lifecycle, desired, actual, blockedUntil,"
              + " interruptionsPerHour, usdPerHour), and each worker:"
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
      out.put("pools", List.of());
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
    out.put("pools", pools(c));
    out.put("workers", list);
    Map<String, Long> interruptions = c.interruptions();
    if (!interruptions.isEmpty()) {
      out.put("interruptions", interruptions);
    }
    return out;
  }

  @GetMapping("/api/v1/fleet/decisions")
  @Operation(
      summary = "The autoscaler's decisions",
      description =
          "The last changes of a pool's desired capacity, newest first, each with the reason in"
              + " words and its cause (SCALE_UP, SCALE_IN, REPLACEMENT, DEPARTURE, BLOCKED,"
              + " UNRELIABLE, FALLBACK, RETURN_TO_SPOT). Empty when the autoscaler is off.")
  @ApiResponse(
      responseCode = "200",
      description = "The decisions, newest first",
      content =
          @Content(
              mediaType = "application/json",
              array = @ArraySchema(schema = @Schema(type = "object")),
              examples = @ExampleObject(name = "decisions", value = DECISIONS_EXAMPLE)))
  @ApiResponse(
      responseCode = "400",
      description = "A limit out of range",
      content =
          @Content(
              mediaType = ProblemHandler.MEDIA_TYPE,
              schema = @Schema(ref = ProblemHandler.SCHEMA_REF),
              examples =
                  @ExampleObject(
                      name = "bad-request",
                      ref = ProblemHandler.EXAMPLES_REF + "bad-request")))
  public List<Map<String, Object>> decisions(
      @Parameter(description = "how many, newest first (1 to the number kept, default 50)")
          @RequestParam(required = false, defaultValue = "" + DEFAULT_DECISIONS)
          int limit) {
    AutoscalerLoop loop = autoscaler == null ? null : autoscaler.getIfAvailable();
    int max = loop == null ? 500 : loop.decisionsKept();
    if (limit < 1 || limit > max) {
      throw new BadRequestException(
          "limit",
          "limit must be between 1 and "
              + max
              + " (the decisions kept: spotbatch.autoscaler.decisions-kept), was "
              + limit);
    }
    if (loop == null) {
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Decision d : loop.decisions(limit)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", d.at());
      m.put("pool", d.pool());
      m.put("from", d.from());
      m.put("to", d.to());
      m.put("cause", d.cause());
      m.put("reason", d.reason());
      out.add(m);
    }
    return out;
  }

  /** The autoscaler's view of the pools; without it, the provider's counts. */
  private List<PoolView> pools(CapacityProvider c) {
    AutoscalerLoop loop = autoscaler == null ? null : autoscaler.getIfAvailable();
    List<WorkerView> workers = c.workers();
    if (loop != null && !loop.pools().isEmpty()) {
      // the last tick's view, with desired and actual as they are now: the same moment as the
      // response's own desired and actual (a tick applies its plan before it stores its view)
      List<PoolView> out = new ArrayList<>();
      for (PoolView v : loop.pools()) {
        Pool p = c.pools().stream().filter(q -> q.name().equals(v.name())).findFirst().orElse(null);
        out.add(
            p == null
                ? v
                : new PoolView(
                    v.name(),
                    v.provider(),
                    v.instanceType(),
                    v.zone(),
                    v.lifecycle(),
                    c.desired(p),
                    (int) alive(c, workers, p),
                    v.blockedUntil(),
                    v.interruptionsPerHour(),
                    v.usdPerHour()));
      }
      return out;
    }
    List<PoolView> out = new ArrayList<>();
    for (Pool p : c.pools()) {
      long actual = alive(c, workers, p);
      out.add(
          new PoolView(
              p.name(),
              p.provider(),
              p.instanceType(),
              p.zone(),
              p.lifecycle(),
              c.desired(p),
              (int) actual,
              null,
              null,
              0));
    }
    return out;
  }

  private static long alive(CapacityProvider c, List<WorkerView> workers, Pool p) {
    return workers.stream()
        .filter(WorkerView::alive)
        .filter(w -> c.poolOf(w).map(p::equals).orElse(false))
        .count();
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
