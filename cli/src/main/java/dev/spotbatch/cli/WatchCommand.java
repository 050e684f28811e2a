package dev.spotbatch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code spotbatch watch ID}: polls a job with a progress bar until it is final. */
@Command(
    name = "watch",
    description = {
      "Follow a job to its end with a progress bar (items, records/s, ETA).",
      "The bar goes to standard error, redrawn in place on a terminal and one",
      "line per change otherwise; then the job is shown.",
      "Exit 0 if it SUCCEEDED, 1 if it ended FAILED or CANCELLED."
    })
final class WatchCommand implements Callable<Integer> {
  @ParentCommand SpotbatchCli root;

  @Parameters(paramLabel = "JOB_ID", description = "the job")
  String id;

  @Option(
      names = "--poll",
      paramLabel = "SECONDS",
      defaultValue = "1",
      description = "seconds between polls (default: ${DEFAULT-VALUE})")
  double pollSeconds;

  @Option(
      names = {"-q", "--quiet"},
      description = "no progress line")
  boolean quiet;

  @Override
  public Integer call() {
    return new JobWatcher(root, SubmitCommand.Polls.interval(pollSeconds), quiet).follow(id);
  }
}
