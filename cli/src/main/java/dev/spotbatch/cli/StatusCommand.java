package dev.spotbatch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code spotbatch status ID}: {@code GET /api/v1/jobs/{id}}. */
@Command(
    name = "status",
    description = {
      "Show one job.",
      "",
      "  spotbatch status 5f0c...            # for people",
      "  spotbatch status 5f0c... --field output.manifest  # one value"
    })
final class StatusCommand implements Callable<Integer> {
  @ParentCommand SpotbatchCli root;

  @Parameters(paramLabel = "JOB_ID", description = "the job")
  String id;

  @Option(
      names = "--field",
      paramLabel = "PATH",
      description =
          "print only this field of the job's JSON (a dot path: status, records.succeeded,"
              + " output.manifest); null prints an empty line")
  String field;

  @Override
  public Integer call() {
    JsonNode job = root.api().get("/api/v1/jobs/" + ApiClient.segment(id));
    if (field != null) {
      JsonNode v = Format.at(job, field);
      if (v == null || v.isMissingNode()) {
        throw new ApiException(
            ExitCode.USAGE,
            "the job has no field '" + field + "'; its fields: " + job.propertyNames());
      }
      root.env()
          .out()
          .println(
              v.isNull()
                  ? ""
                  : v.isContainer() ? ApiClient.JSON.writeValueAsString(v) : v.asString());
    } else if (root.json()) {
      root.printJson(job);
    } else {
      Format.job(root.env().out(), job);
    }
    return ExitCode.OK.code();
  }
}
