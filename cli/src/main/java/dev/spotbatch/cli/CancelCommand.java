package dev.spotbatch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code spotbatch cancel ID}: {@code POST /api/v1/jobs/{id}/cancel}. */
@Command(
    name = "cancel",
    description = {
      "Cancel a PENDING or RUNNING job: queued items are dropped, running ones stop.",
      "Exit 6 if the job has already ended."
    })
final class CancelCommand implements Callable<Integer> {
  @ParentCommand SpotbatchCli root;

  @Parameters(paramLabel = "JOB_ID", description = "the job")
  String id;

  @Override
  public Integer call() {
    JsonNode job = root.api().post("/api/v1/jobs/" + ApiClient.segment(id) + "/cancel", null);
    if (root.json()) {
      root.printJson(job);
    } else {
      Format.job(root.env().out(), job);
    }
    return ExitCode.OK.code();
  }
}
