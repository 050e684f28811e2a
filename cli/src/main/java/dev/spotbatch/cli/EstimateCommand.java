package dev.spotbatch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code spotbatch estimate}: {@code POST /api/v1/estimates}, the cost calculator. */
@Command(
    name = "estimate",
    sortOptions = false,
    description = {
      "Estimate a job's cost and duration on on-demand, spot and mixed capacity.",
      "The server's simulator answers. Exit 3 if the server does not offer estimates.",
      "",
      "  spotbatch estimate --records 10000000 --rps 600 \\",
      "      --instance-type m5.large --region eu-west-1"
    })
final class EstimateCommand implements Callable<Integer> {
  static final String PATH = "/api/v1/estimates";

  @ParentCommand SpotbatchCli root;

  @Option(
      names = "--records",
      required = true,
      paramLabel = "N",
      description = "records to process")
  long records;

  @Option(
      names = "--rps",
      required = true,
      paramLabel = "N",
      description = "records per second one worker achieves")
  double recordsPerSecond;

  @Option(names = "--instance-type", paramLabel = "TYPE", description = "e.g. m5.large")
  String instanceType;

  @Option(names = "--region", paramLabel = "REGION", description = "e.g. eu-west-1")
  String region;

  @Option(names = "--workers", paramLabel = "N", description = "a fixed number of workers")
  Integer workers;

  @Option(names = "--deadline", paramLabel = "INSTANT", description = "finish by, ISO-8601")
  String deadline;

  @Override
  public Integer call() {
    ObjectNode body = ApiClient.JSON.createObjectNode();
    body.put("records", records);
    body.put("recordsPerSecondPerWorker", recordsPerSecond);
    if (instanceType != null) {
      body.put("instanceType", instanceType);
    }
    if (region != null) {
      body.put("region", region);
    }
    if (workers != null) {
      body.put("workers", workers);
    }
    if (deadline != null) {
      body.put("deadline", deadline);
    }
    JsonNode estimate = MissingEndpoint.call(root, "POST", PATH, () -> root.api().post(PATH, body));
    if (root.json()) {
      root.printJson(estimate);
    } else {
      Format.generic(root.env().out(), estimate, "");
    }
    return ExitCode.OK.code();
  }
}
