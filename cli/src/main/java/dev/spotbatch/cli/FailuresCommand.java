package dev.spotbatch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code spotbatch failures ID}: {@code GET /api/v1/jobs/{id}/failures}. */
@Command(
    name = "failures",
    description = "List a job's item failures: reason, attempts, final or not, worker.")
final class FailuresCommand implements Callable<Integer> {
  @ParentCommand SpotbatchCli root;

  @Parameters(paramLabel = "JOB_ID", description = "the job")
  String id;

  @Override
  public Integer call() {
    JsonNode answer = root.api().get("/api/v1/jobs/" + ApiClient.segment(id) + "/failures");
    if (root.json()) {
      root.printJson(answer);
      return ExitCode.OK.code();
    }
    JsonNode failures = answer.path("failures");
    if (failures.isEmpty()) {
      root.env().out().println("no failures recorded for job " + id);
      return ExitCode.OK.code();
    }
    Table t = new Table("ITEM", "ATTEMPTS", "FINAL", "WORKER", "AT", "REASON");
    for (JsonNode f : failures) {
      t.row(
          Format.text(f, "itemId"),
          Format.text(f, "attempts"),
          f.path("terminal").asBoolean() ? "yes" : "no",
          Format.text(f, "workerId"),
          Format.text(f, "at"),
          Format.text(f, "reason"));
    }
    t.print(root.env().out());
    return ExitCode.OK.code();
  }
}
