package dev.spotbatch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code spotbatch cost}: {@code GET /api/v1/cost?from=&to=}. */
@Command(
    name = "cost",
    description = {
      "Show spend per pool and in total, against on-demand.",
      "usd, on-demand usd, savings, machine and idle hours, interruptions per",
      "hour, usd per 1,000 records and a monthly projection.",
      "Exit 3 if the server does not offer cost reports."
    })
final class CostCommand implements Callable<Integer> {
  static final String PATH = "/api/v1/cost";

  @ParentCommand SpotbatchCli root;

  @Option(names = "--from", paramLabel = "INSTANT", description = "start, ISO-8601")
  String from;

  @Option(names = "--to", paramLabel = "INSTANT", description = "end, ISO-8601")
  String to;

  @Override
  public Integer call() {
    StringBuilder q = new StringBuilder(PATH);
    String sep = "?";
    if (from != null) {
      q.append(sep).append("from=").append(ApiClient.query(from));
      sep = "&";
    }
    if (to != null) {
      q.append(sep).append("to=").append(ApiClient.query(to));
    }
    JsonNode cost = MissingEndpoint.call(root, "GET", PATH, () -> root.api().get(q.toString()));
    if (root.json()) {
      root.printJson(cost);
    } else {
      Format.generic(root.env().out(), cost, "");
    }
    return ExitCode.OK.code();
  }
}
