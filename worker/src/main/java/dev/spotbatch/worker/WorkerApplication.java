package dev.spotbatch.worker;

import dev.spotbatch.worker.inference.Djl;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The spot worker process: leases work items, runs the model, writes parts, publishes events. */
@SpringBootApplication
public class WorkerApplication {
  public static void main(String[] args) {
    Djl.offline(); // before any DJL class loads
    SpringApplication.run(WorkerApplication.class, args);
  }
}
