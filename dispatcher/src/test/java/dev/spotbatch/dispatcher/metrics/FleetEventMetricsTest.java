package dev.spotbatch.dispatcher.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.event.DrainReport;
import dev.spotbatch.event.WorkerDraining;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.NoticeKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FleetEventMetricsTest {
  private static final InstanceFacts G5 =
      new InstanceFacts("aws", "i-1", "g5.xlarge", "us-east-1", "us-east-1a", Lifecycle.SPOT);
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void countsInterruptionsByKindAndPool() {
    WorkerDraining e =
        new WorkerDraining(
            "e1",
            "w1",
            G5,
            NoticeKind.AWS_SPOT_INTERRUPTION,
            "n1",
            T0,
            T0,
            T0.plusSeconds(120),
            T0);

    FleetEventMetrics.draining(registry, e);
    FleetEventMetrics.draining(registry, e);

    assertThat(
            registry
                .get("spotbatch.fleet.interruptions")
                .tags(
                    "kind", "aws_spot_interruption",
                    "instance_type", "g5.xlarge",
                    "zone", "us-east-1a",
                    "lifecycle", "spot")
                .counter()
                .count())
        .isEqualTo(2);
  }

  @Test
  void countsWhatADrainDidAndWhetherItBeatItsDeadline() {
    DrainReport report =
        new DrainReport(
            NoticeKind.AWS_SPOT_INTERRUPTION,
            "n1",
            T0,
            T0,
            T0.plusSeconds(120),
            T0.plusSeconds(1),
            3,
            1,
            2,
            0,
            T0.plusSeconds(40));

    FleetEventMetrics.stopped(registry, new WorkerStopped("e2", "w1", G5, report, T0));

    assertThat(
            registry
                .get("spotbatch.fleet.drain.items")
                .tag("result", "handed_back")
                .counter()
                .count())
        .isEqualTo(3);
    assertThat(
            registry
                .get("spotbatch.fleet.drain.items")
                .tag("result", "checkpointed")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(registry.find("spotbatch.fleet.drain.items").tag("result", "abandoned").counter())
        .isNull();
    assertThat(registry.get("spotbatch.fleet.drains").tag("outcome", "in_time").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("spotbatch.fleet.drain.duration").timer().totalTime(TimeUnit.SECONDS))
        .isEqualTo(40);
  }

  @Test
  void aPlainStopWithoutADrainCountsNothing() {
    FleetEventMetrics.stopped(registry, new WorkerStopped("e3", "w1", G5, null, T0));

    assertThat(registry.getMeters()).isEmpty();
  }
}
