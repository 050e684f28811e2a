package dev.spotbatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.bench.LoadDispatcher;
import dev.spotbatch.bench.SubmitLoad;
import dev.spotbatch.dispatcher.job.JobStatus;
import dev.spotbatch.dispatcher.job.JobStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 point 8, small: 200 jobs from 20 concurrent clients against the embedded default's
 * dispatcher with a tight rate limit, so clients get {@code 429} and retry. Every job is accepted
 * exactly once, none is lost. The full figure (1,000 jobs, 50 clients) is {@code ./bench.sh load}.
 */
class SubmitLoadIT {
  @TempDir Path dataDir;

  @Test
  void everyJobIsAcceptedOnceOrRefusedWithAClearStatusAndNoneIsLost() throws Exception {
    try (LoadDispatcher d =
        LoadDispatcher.start(
            dataDir,
            "--spotbatch.security.rate-limit.requests-per-second=20",
            "--spotbatch.security.rate-limit.burst=20")) {
      SubmitLoad load = new SubmitLoad(d.api(), d.token());

      SubmitLoad.Result r = load.run(200, 20, d.outputPrefix());

      System.out.printf(
          "submit load: %d jobs, %d clients, %s: statuses %s, %d x 429; answer p50 %d ms p99 %d"
              + " ms%n",
          r.jobs(),
          r.clients(),
          r.wall(),
          r.finalStatuses(),
          r.throttled(),
          SubmitLoad.quantile(r.latenciesMicros(), 0.5) / 1000,
          SubmitLoad.quantile(r.latenciesMicros(), 0.99) / 1000);
      assertThat(r.finalStatuses()).isEqualTo(Map.of(201, 200));
      assertThat(r.throttled()).isPositive(); // the limit was reached and clients retried
      assertThat(load.missing(r)).isEmpty();
      MeterRegistry meters = d.context().getBean(MeterRegistry.class);
      assertThat(meters.counter("spotbatch.jobs.submitted").count()).isEqualTo(200);
      JobStore jobs = d.context().getBean(JobStore.class);
      assertThat(jobs.countJobs(JobStatus.FAILED)).isZero(); // none refused by a busy planner
    }
  }
}
