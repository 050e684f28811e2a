package dev.spotbatch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code spotbatch list}: {@code GET /api/v1/jobs}, newest first. */
@Command(name = "list", description = "List jobs, newest first.")
final class ListCommand implements Callable<Integer> {
  @ParentCommand SpotbatchCli root;

  @Option(
      names = {"-s", "--status"},
      paramLabel = "STATUS",
      description = "only jobs in this state: PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED")
  String status;

  @Option(
      names = {"-n", "--limit"},
      paramLabel = "N",
      defaultValue = "50",
      description = "at most this many (1-1000, default: ${DEFAULT-VALUE})")
  int limit;

  @Override
  public Integer call() {
    StringBuilder q = new StringBuilder("/api/v1/jobs?limit=").append(limit);
    if (status != null) {
      q.append("&status=").append(ApiClient.query(status));
    }
    JsonNode answer = root.api().get(q.toString());
    if (root.json()) {
      root.printJson(answer);
      return ExitCode.OK.code();
    }
    JsonNode jobs = answer.path("jobs");
    if (jobs.isEmpty()) {
      root.env().out().println("no jobs" + (status == null ? "" : " with status " + status));
      return ExitCode.OK.code();
    }
    Table t = new Table("ID", "STATUS", "ITEMS", "RECORDS", "FAILED", "CREATED", "NAME");
    for (JsonNode j : jobs) {
      long done = Format.number(j, "items.succeeded") + Format.number(j, "items.failed");
      t.row(
          Format.text(j, "id"),
          Format.text(j, "status"),
          Format.count(done) + "/" + Format.count(Format.number(j, "items.total")),
          Format.count(Format.number(j, "records.succeeded")),
          Format.count(Format.number(j, "records.failed")),
          Format.text(j, "createdAt"),
          Format.text(j, "name"));
    }
    t.print(root.env().out());
    return ExitCode.OK.code();
  }
}
