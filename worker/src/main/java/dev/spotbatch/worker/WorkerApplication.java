package dev.spotbatch.worker;

import dev.spotbatch.worker.drain.Drainer;
import dev.spotbatch.worker.inference.Djl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The spot worker process: leases work items, runs the model, writes parts, publishes events. */
@SpringBootApplication
public class WorkerApplication {
  private static final Logger log = LoggerFactory.getLogger(WorkerApplication.class);

  public static void main(String[] args) {
    Djl.offline(); // before any DJL class loads
    ConfigurableApplicationContext ctx = SpringApplication.run(WorkerApplication.class, args);
    // A notice drain ends with every lease finished, checkpointed or handed back, WorkerStopped
    // published and the queue clients closed: nothing is left to flush, and the machine is about to
    // disappear. Exit at once: a full context shutdown can take seconds on a busy machine, and a
    // 30-second (GCP, Azure) or shorter deadline has none to spare.
    ctx.getBean(Drainer.class)
        .onDrained(
            report -> {
              log.info("drained ({}): exiting", report);
              Runtime.getRuntime().halt(0);
            });
  }
}
