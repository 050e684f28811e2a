package dev.spotbatch.dispatcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Records per second per worker (while busy), per pool (kept) and per job (the fleet's speed). */
class ThroughputTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final InstanceFacts SPOT =
      new InstanceFacts("aws", "i-1", "g5.xlarge", "us-east-1", "us-east-1a", Lifecycle.SPOT);
  static final Pool SPOT_POOL = new Pool("spot", "aws", "g5.xlarge", "us-east-1a", Lifecycle.SPOT);

  final MutableClock clock = new MutableClock(T0);
  final Throughput throughput = new Throughput(clock, Duration.ofMinutes(2));
  int n;

  ItemCompleted completed(String job, String worker, long records, int startS, int endS) {
    n++;
    return new ItemCompleted(
        "e" + n,
        job,
        job + "-" + n,
        new ByteRange(0, 100),
        new PartRef("part-" + n, records, new ByteRange(0, 100)),
        null,
        new Attempts(0, 0),
        worker,
        SPOT,
        T0.plusSeconds(startS),
        T0.plusSeconds(endS));
  }

  @Test
  void aWorkersRateIsItsRecordsOverTheTimeItWasBusy() {
    clock.advance(Duration.ofSeconds(60));
    throughput.record(completed("j", "w1", 100, 0, 10));
    throughput.record(completed("j", "w1", 100, 5, 15)); // side by side with the first
    throughput.record(completed("j", "w1", 50, 40, 45)); // after a wait for work

    assertThat(throughput.worker("w1").getAsDouble()).isCloseTo(250 / 20.0, within(1e-9));
    assertThat(throughput.pool(SPOT_POOL).getAsDouble()).isCloseTo(12.5, within(1e-9));
    assertThat(throughput.worker("w2")).isEmpty();
  }

  @Test
  void aJobsRateIsTheFleetsSpeedOnItAndFadesAfterTheWindow() {
    clock.advance(Duration.ofSeconds(50));
    throughput.record(completed("j", "w1", 200, 10, 30));
    throughput.record(completed("j", "w2", 200, 20, 50));
    throughput.record(
        new ItemFailed(
            "f1",
            "j",
            "j-x",
            new ByteRange(0, 1),
            "boom",
            new Attempts(1, 0),
            false,
            "w1",
            SPOT,
            T0,
            T0,
            null));

    assertThat(throughput.recordsPerSecond("j").getAsDouble()).isCloseTo(400 / 40.0, within(1e-9));
    assertThat(throughput.recordsPerSecond("other")).isEmpty();

    clock.advance(Duration.ofMinutes(3));
    assertThat(throughput.recordsPerSecond("j")).isEmpty();
    assertThat(throughput.worker("w1")).isEmpty();
    assertThat(throughput.pool(SPOT_POOL)).as("kept for the next job").isPresent();
  }
}
