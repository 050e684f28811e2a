package dev.spotbatch.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code spotbatch fleet}: {@code GET /api/v1/fleet}. */
@Command(
    name = "fleet",
    description = {
      "Show the fleet: workers, their instances, leases and last drain.",
      "Also desired and actual counts, pools and interruptions when reported."
    })
final class FleetCommand implements Callable<Integer> {
  @ParentCommand SpotbatchCli root;

  @Override
  public Integer call() {
    JsonNode fleet = root.api().get("/api/v1/fleet");
    if (root.json()) {
      root.printJson(fleet);
      return ExitCode.OK.code();
    }
    PrintWriter out = root.env().out();
    out.println(
        "provider: "
            + Format.text(fleet, "provider")
            + "   desired: "
            + Format.text(fleet, "desired")
            + "   actual: "
            + Format.text(fleet, "actual"));
    JsonNode interruptions = fleet.get("interruptions");
    if (interruptions != null && interruptions.isObject()) {
      List<String> parts = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : interruptions.properties()) {
        parts.add(e.getKey() + " " + e.getValue().asString());
      }
      out.println("interruptions: " + String.join(", ", parts));
    }
    JsonNode workers = fleet.path("workers");
    out.println();
    if (workers.isEmpty()) {
      out.println("no workers");
    } else {
      Table t =
          new Table("ID", "STATE", "PID", "TYPE", "LIFECYCLE", "ZONE", "LEASES", "LAST DRAIN");
      for (JsonNode w : workers) {
        t.row(
            Format.text(w, "id"),
            Format.text(w, "state"),
            Format.text(w, "pid"),
            Format.text(w, "instance.instanceType"),
            Format.text(w, "instance.lifecycle"),
            Format.text(w, "instance.zone"),
            Format.text(w, "activeLeases"),
            drain(w.get("lastDrain")));
      }
      t.print(out);
    }
    JsonNode pools = fleet.get("pools");
    if (pools != null && pools.isArray() && !pools.isEmpty()) {
      out.println();
      Table t =
          new Table(
              "POOL",
              "LIFECYCLE",
              "DESIRED",
              "ACTUAL",
              "INTERRUPTIONS/H",
              "USD/H",
              "BLOCKED UNTIL");
      for (JsonNode p : pools) {
        t.row(
            Format.text(p, "name"),
            Format.text(p, "lifecycle"),
            Format.text(p, "desired"),
            Format.text(p, "actual"),
            Format.scalar(p.get("interruptionsPerHour")),
            Format.scalar(p.get("usdPerHour")),
            Format.text(p, "blockedUntil"));
      }
      t.print(out);
    }
    return ExitCode.OK.code();
  }

  /** {@code spot: 3 handed back, 1 finished, 0 checkpointed, 0 abandoned}. */
  private static String drain(JsonNode d) {
    if (d == null || d.isNull()) {
      return null;
    }
    return Format.text(d, "kind")
        + ": "
        + Format.number(d, "handedBack")
        + " handed back, "
        + Format.number(d, "finished")
        + " finished, "
        + Format.number(d, "checkpointed")
        + " checkpointed, "
        + Format.number(d, "abandoned")
        + " abandoned";
  }
}
