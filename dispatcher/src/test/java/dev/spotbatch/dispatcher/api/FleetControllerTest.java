package dev.spotbatch.dispatcher.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.spotbatch.dispatcher.fleet.CapacityProvider;
import dev.spotbatch.dispatcher.fleet.DrainReports;
import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.dispatcher.fleet.WorkerState;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import dev.spotbatch.dispatcher.fleet.autoscale.AutoscalerLoop;
import dev.spotbatch.event.DrainReport;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.NoticeKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** {@code GET /api/v1/fleet} over the capacity port, whatever provider is behind it. */
class FleetControllerTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Pool POOL = new Pool("test-spot", "test", "m7i.large", "eu-west-1a", Lifecycle.SPOT);

  final DrainReports drains = new DrainReports();

  /** A provider with one running and one never-started worker. */
  static final class FakeProvider implements CapacityProvider {
    final AtomicInteger refreshes = new AtomicInteger();
    Map<String, Long> interruptions = Map.of();

    @Override
    public String name() {
      return "test";
    }

    @Override
    public List<Pool> pools() {
      return List.of(POOL);
    }

    @Override
    public int desired(Pool pool) {
      return 2;
    }

    @Override
    public void setDesired(Pool pool, int count) {}

    @Override
    public void refresh() {
      refreshes.incrementAndGet();
    }

    @Override
    public List<WorkerView> workers() {
      WorkerView.Machine machine =
          new WorkerView.Machine(
              3, InstanceFacts.local("i-w1-3"), T0, 4242L, "http://127.0.0.1:1", 8081);
      return List.of(
          new WorkerView(
              "w1",
              WorkerState.RUNNING,
              2,
              machine,
              new WorkerView.LeaseReport(1, List.of(Map.of("itemId", "j-000001"))),
              null,
              List.of()),
          new WorkerView("w2", WorkerState.STOPPED, 0, null, null, null, List.of()));
    }

    @Override
    public Map<String, Long> interruptions() {
      return interruptions;
    }

    @Override
    public void close() {}
  }

  MockMvc mvc(CapacityProvider provider) {
    DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
    if (provider != null) {
      beans.registerSingleton("capacity", provider);
    }
    beans.registerSingleton("drains", drains);
    FleetController controller =
        new FleetController(
            beans.getBeanProvider(CapacityProvider.class),
            beans.getBeanProvider(DrainReports.class),
            beans.getBeanProvider(AutoscalerLoop.class));
    return MockMvcBuilders.standaloneSetup(controller)
        .setControllerAdvice(new ProblemHandler())
        .build();
  }

  @Test
  void withoutACapacityProviderTheFleetIsEmpty() throws Exception {
    mvc(null)
        .perform(get("/api/v1/fleet"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.provider").value("none"))
        .andExpect(jsonPath("$.desired").value(0))
        .andExpect(jsonPath("$.actual").value(0))
        .andExpect(jsonPath("$.workers").isEmpty())
        .andExpect(jsonPath("$.interruptions").doesNotExist());
  }

  @Test
  void withoutAnAutoscalerThereAreNoDecisionsAndTheProvidersPoolsAreListed() throws Exception {
    mvc(new FakeProvider())
        .perform(get("/api/v1/fleet/decisions"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$").isEmpty());
    mvc(new FakeProvider())
        .perform(get("/api/v1/fleet"))
        .andExpect(jsonPath("$.pools[0].name").value("test-spot"))
        .andExpect(jsonPath("$.pools[0].lifecycle").value("SPOT"))
        .andExpect(jsonPath("$.pools[0].desired").value(2))
        .andExpect(jsonPath("$.pools[0].blockedUntil").isEmpty())
        .andExpect(jsonPath("$.pools[0].usdPerHour").value(0.0));
  }

  @Test
  void aDecisionLimitOutOfRangeIsAProblemThatSaysTheRange() throws Exception {
    for (String limit : new String[] {"0", "501", "-3"}) {
      mvc(new FakeProvider())
          .perform(get("/api/v1/fleet/decisions").param("limit", limit))
          .andExpect(status().isBadRequest())
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
          .andExpect(jsonPath("$.detail").value(containsString("between 1 and 500")));
    }
  }

  @Test
  void withoutTheLocalFleetThereIsNoInterruptEndpoint() throws Exception {
    mvc(new FakeProvider())
        .perform(post("/api/v1/fleet/workers/w1/interrupt").param("kind", "spot"))
        .andExpect(status().isNotFound());
  }

  @Test
  void listsTheProvidersWorkersByNameAfterARefresh() throws Exception {
    FakeProvider provider = new FakeProvider();
    drains.apply(
        new WorkerStopped(
            "e-1",
            "w2",
            InstanceFacts.local("i-w2-1"),
            new DrainReport(
                NoticeKind.AWS_SPOT_INTERRUPTION, "n-1", T0, T0, T0, null, 1, 2, 1, 0, T0),
            T0));

    mvc(provider)
        .perform(get("/api/v1/fleet"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.provider").value("test"))
        .andExpect(jsonPath("$.desired").value(2))
        .andExpect(jsonPath("$.actual").value(1))
        .andExpect(jsonPath("$.workers[0].id").value("w1"))
        .andExpect(jsonPath("$.workers[0].state").value("RUNNING"))
        .andExpect(jsonPath("$.workers[0].pid").value(4242))
        .andExpect(jsonPath("$.workers[0].generation").value(3))
        .andExpect(jsonPath("$.workers[0].instance.instanceId").value("i-w1-3"))
        .andExpect(jsonPath("$.workers[0].metadataEndpoint").value("http://127.0.0.1:1"))
        .andExpect(jsonPath("$.workers[0].managementPort").value(8081))
        .andExpect(jsonPath("$.workers[0].activeLeases").value(1))
        .andExpect(jsonPath("$.workers[0].leases[0].itemId").value("j-000001"))
        .andExpect(jsonPath("$.workers[0].restarts").value(2))
        .andExpect(jsonPath("$.workers[1].pid").isEmpty())
        .andExpect(jsonPath("$.workers[1].generation").value(0))
        .andExpect(jsonPath("$.workers[1].leases").isArray())
        .andExpect(jsonPath("$.workers[1].activeLeases").isEmpty())
        .andExpect(jsonPath("$.workers[1].lastDrain.checkpointed").value(1))
        .andExpect(jsonPath("$.workers[1].lastDrainPhase").value("STOPPED"))
        .andExpect(jsonPath("$.interruptions").doesNotExist());
    assertThat(provider.refreshes).hasValue(1);
  }

  @Test
  void reportsInterruptionsWhenTheProviderCountsThem() throws Exception {
    FakeProvider provider = new FakeProvider();
    provider.interruptions = Map.of("spot", 3L);
    mvc(provider)
        .perform(get("/api/v1/fleet"))
        .andExpect(jsonPath("$.interruptions.spot").value(3));
  }
}
