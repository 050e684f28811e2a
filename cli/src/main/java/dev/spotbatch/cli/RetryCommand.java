package dev.spotbatch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code spotbatch retry ID}: {@code POST /api/v1/jobs/{id}/retry}. */
@Command(
    name = "retry",
    description = {
      "Run the failed items of a FAILED job again. Exit 6 if the job is not FAILED.",
      "With --wait, follow it to its end like 'watch'."
    })
final class RetryCommand implements Callable<Integer> {
  @ParentCommand SpotbatchCli root;

  @Parameters(paramLabel = "JOB_ID", description = "the job")
  String id;

  @Option(
      names = {"-w", "--wait"},
      description = "follow the job to its end; exit 1 if it ends FAILED or CANCELLED")
  boolean waitForEnd;

  @Option(
      names = "--poll",
      paramLabel = "SECONDS",
      defaultValue = "1",
      description = "seconds between polls with --wait (default: ${DEFAULT-VALUE})")
  double pollSeconds;

  @Override
  public Integer call() {
    JsonNode job = root.api().post("/api/v1/jobs/" + ApiClient.segment(id) + "/retry", null);
    if (waitForEnd) {
      return new JobWatcher(root, SubmitCommand.Polls.interval(pollSeconds), false).follow(id);
    }
    if (root.json()) {
      root.printJson(job);
    } else {
      Format.job(root.env().out(), job);
    }
    return ExitCode.OK.code();
  }
}
