package dev.spotbatch.cli;

import java.io.PrintWriter;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * Follows one job until it is final: polls it, shows a progress line on standard error (redrawn in
 * place on a terminal; on anything else a plain line each time the progress changes), then prints
 * the final job on standard output (table or JSON) and answers the exit code: 0 for SUCCEEDED, 1
 * for FAILED or CANCELLED.
 */
final class JobWatcher {
  private static final String CLEAR_TO_END = "\u001b[K";

  private final SpotbatchCli root;
  private final Duration poll;
  private final boolean quiet;

  JobWatcher(SpotbatchCli root, Duration poll, boolean quiet) {
    this.root = root;
    this.poll = poll;
    this.quiet = quiet;
  }

  int follow(String id) {
    CliEnv env = root.env();
    PrintWriter err = env.err();
    ProgressMeter meter = new ProgressMeter(ProgressMeter.DEFAULT_WINDOW);
    String lastKey = null;
    boolean drawn = false;
    JsonNode job;
    while (true) {
      job = root.api().get("/api/v1/jobs/" + ApiClient.segment(id));
      ProgressMeter.Reading r = meter.observe(job, env.clock().instant());
      if (!quiet) {
        if (env.tty()) {
          err.print("\r" + r.line() + CLEAR_TO_END);
          err.flush();
          drawn = true;
        } else if (!r.progressKey().equals(lastKey)) {
          err.println(r.line());
          err.flush();
        }
        lastKey = r.progressKey();
      }
      if (Format.isFinal(r.status())) {
        break;
      }
      try {
        env.sleeper().sleep(poll);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiException(ExitCode.ERROR, "interrupted while waiting for job " + id);
      }
    }
    if (drawn) {
      err.println();
      err.flush();
    }
    if (root.json()) {
      root.printJson(job);
    } else {
      Format.job(env.out(), job);
    }
    return "SUCCEEDED".equals(Format.text(job, "status"))
        ? ExitCode.OK.code()
        : ExitCode.JOB_UNSUCCESSFUL.code();
  }
}
