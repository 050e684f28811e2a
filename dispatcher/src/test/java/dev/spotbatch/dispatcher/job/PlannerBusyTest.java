package dev.spotbatch.dispatcher.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.dispatcher.Fixture;
import dev.spotbatch.store.StorageRoots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full planning backlog refuses a submission (nothing stored) instead of failing the job. */
class PlannerBusyTest {
  @TempDir Path dir;

  @Test
  void aSubmissionWhileThePlannerBacklogIsFullIsRefusedAndNothingIsStored() throws Exception {
    Fixture f = new Fixture(dir);
    Files.createDirectories(dir.resolve("in"));
    Files.write(dir.resolve("in/docs.jsonl"), new byte[100]);
    CountDownLatch release = new CountDownLatch(1);
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
    pool.execute(() -> await(release)); // the one planning thread is busy
    pool.execute(() -> {}); // and the backlog of one is full
    JobPlanner planner =
        new JobPlanner(f.jobs, f.store, f.queue, f.manifests, pool, f.clock, f.meters);
    StorageRoots roots = StorageRoots.of("roots", java.util.List.of(f.rootUri()));
    JobService service =
        new JobService(
            f.jobs,
            planner,
            f.manifests,
            f.store,
            f.queue,
            roots,
            JobLimits.defaults(java.util.List.of("all-minilm-l6-v2"), f.rootUri() + "staging/"),
            f.costs,
            f.clock,
            () -> "busy-job",
            f.meters,
            new ModelLocationPolicy(roots, ModelLocationPolicy.DEFAULT_MAX_MODEL_BYTES),
            JobEtas.unmeasured(f.clock));

    assertThatThrownBy(() -> service.submit(f.submission("in/docs.jsonl", 1024, 3)))
        .isInstanceOf(PlannerBusyException.class)
        .hasMessageContaining("submit again");
    assertThat(f.jobs.findJob("busy-job")).isEmpty();

    release.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    service.submit(f.submission("in/docs.jsonl", 1024, 3)); // room again: accepted
    assertThat(f.jobs.findJob("busy-job")).isPresent();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
