package dev.spotbatch.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** How the client shows the API's JSON to a person: jobs, numbers, durations, any object. */
final class Format {
  private Format() {}

  /** The final states of a job. */
  static boolean isFinal(String status) {
    return "SUCCEEDED".equals(status) || "FAILED".equals(status) || "CANCELLED".equals(status);
  }

  static String text(JsonNode node, String path) {
    JsonNode v = at(node, path);
    return v == null || v.isNull() || v.isMissingNode() ? null : v.asString();
  }

  static long number(JsonNode node, String path) {
    JsonNode v = at(node, path);
    return v == null || !v.isNumber() ? 0 : v.asLong();
  }

  /** The value at a dot path ({@code output.manifest}), or null. */
  static JsonNode at(JsonNode node, String path) {
    JsonNode n = node;
    for (String part : path.split("\\.")) {
      if (n == null) {
        return null;
      }
      n = n.isArray() && part.matches("\\d+") ? n.get(Integer.parseInt(part)) : n.get(part);
    }
    return n;
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** {@code 0:07}, {@code 12:30}, {@code 1:02:03}. */
  static String duration(Duration d) {
    long s = Math.max(0, d.toSeconds());
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    return h > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
        : String.format(Locale.ROOT, "%d:%02d", m, sec);
  }

  static String usd(JsonNode v) {
    if (v == null || v.isNull() || !v.isNumber()) {
      return "-";
    }
    double d = v.asDouble();
    return d != 0 && Math.abs(d) < 0.01
        ? String.format(Locale.ROOT, "$%.6f", d)
        : String.format(Locale.ROOT, "$%.2f", d);
  }

  /** One job, as {@code status} and the end of {@code watch} show it. */
  static void job(PrintWriter out, JsonNode job) {
    List<String[]> lines = new ArrayList<>();
    add(lines, "id", text(job, "id"));
    add(lines, "name", text(job, "name"));
    String status = text(job, "status");
    add(lines, "status", status);
    add(lines, "reason", text(job, "reason"));
    add(lines, "model", text(job, "model"));
    add(lines, "model uri", text(job, "modelUri"));
    add(lines, "model digest", text(job, "modelDigest"));
    JsonNode tasks = job.get("tasks");
    if (tasks != null && tasks.isArray() && !tasks.isEmpty()) {
      List<String> names = new ArrayList<>();
      tasks.forEach(t -> names.add(t.asString()));
      add(lines, "tasks", String.join(", ", names));
    }
    add(lines, "created", text(job, "createdAt"));
    add(lines, "started", text(job, "startedAt"));
    add(lines, "finished", text(job, "finishedAt"));
    add(lines, "deadline", text(job, "deadline"));
    add(lines, "priority", text(job, "priority"));
    add(lines, "eta", text(job, "eta"));
    add(lines, "on track", text(job, "onTrack"));
    if (job.has("items")) {
      add(
          lines,
          "items",
          String.format(
              Locale.ROOT,
              "%s: %s succeeded, %s failed, %s running, %s pending",
              count(number(job, "items.total")),
              count(number(job, "items.succeeded")),
              count(number(job, "items.failed")),
              count(number(job, "items.running")),
              count(number(job, "items.pending"))));
    }
    if (job.has("records")) {
      add(
          lines,
          "records",
          count(number(job, "records.succeeded"))
              + " succeeded, "
              + count(number(job, "records.failed"))
              + " failed");
    }
    String outputUri = text(job, "output.uri");
    String outputFormat = text(job, "output.format");
    add(
        lines,
        "output",
        outputUri == null || outputFormat == null
            ? outputUri
            : outputUri + " (" + outputFormat + ")");
    add(lines, "manifest", text(job, "output.manifest"));
    JsonNode cost = job.get("cost");
    if (cost != null && cost.isObject()) {
      StringBuilder c = new StringBuilder(usd(cost.get("usd")));
      c.append(" (on demand ").append(usd(cost.get("onDemandUsd")));
      JsonNode pct = cost.get("savingsPct");
      if (pct != null && pct.isNumber()) {
        c.append(String.format(Locale.ROOT, ", saved %.1f%%", pct.asDouble()));
      }
      JsonNode wasted = cost.get("wastedUsd");
      if (wasted != null && wasted.isNumber()) {
        c.append(", wasted ").append(usd(wasted));
      }
      c.append(')');
      add(lines, "cost", c.toString());
    }
    keyValues(out, lines, "");
  }

  private static void add(List<String[]> lines, String key, String value) {
    if (value != null) {
      lines.add(new String[] {key, value});
    }
  }

  private static void keyValues(PrintWriter out, List<String[]> lines, String indent) {
    int w = 0;
    for (String[] l : lines) {
      w = Math.max(w, l[0].length());
    }
    for (String[] l : lines) {
      out.println(indent + l[0] + ":" + " ".repeat(w - l[0].length() + 1) + l[1]);
    }
  }

  /**
   * Any JSON object for a person: scalars as {@code key: value}, objects indented below their key,
   * arrays of objects as tables. For answers whose shape the client does not know field by field
   * ({@code cost}, {@code estimate}, newer servers).
   */
  static void generic(PrintWriter out, JsonNode node, String indent) {
    List<String[]> scalars = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      if (!v.isContainer()) {
        scalars.add(new String[] {e.getKey(), scalar(v)});
      } else if (v.isArray() && !v.isEmpty() && !v.get(0).isContainer()) {
        List<String> items = new ArrayList<>();
        v.forEach(x -> items.add(scalar(x)));
        scalars.add(new String[] {e.getKey(), String.join(", ", items)});
      }
    }
    keyValues(out, scalars, indent);
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      if (v.isObject()) {
        out.println(indent + e.getKey() + ":");
        generic(out, v, indent + "  ");
      } else if (v.isArray() && (v.isEmpty() || v.get(0).isContainer())) {
        out.println(indent + e.getKey() + ":" + (v.isEmpty() ? " none" : ""));
        if (!v.isEmpty()) {
          table(v).printIndented(out, indent + "  ");
        }
      }
    }
  }

  private static IndentedTable table(JsonNode array) {
    Set<String> columns = new LinkedHashSet<>();
    for (JsonNode row : array) {
      for (Map.Entry<String, JsonNode> e : row.properties()) {
        if (!e.getValue().isContainer()) {
          columns.add(e.getKey());
        }
      }
    }
    Table t = new Table(columns.toArray(String[]::new));
    for (JsonNode row : array) {
      t.row(columns.stream().map(c -> row.has(c) ? scalar(row.get(c)) : "-").toArray());
    }
    return new IndentedTable(t);
  }

  /** A table printed below an indented key. */
  private record IndentedTable(Table table) {
    void printIndented(PrintWriter out, String indent) {
      java.io.StringWriter s = new java.io.StringWriter();
      table.print(new PrintWriter(s));
      s.toString().lines().forEach(l -> out.println(indent + l));
    }
  }

  static String scalar(JsonNode v) {
    if (v == null || v.isNull()) {
      return "-";
    }
    if (v.isFloatingPointNumber()) {
      return String.format(Locale.ROOT, "%.4f", v.asDouble())
          .replaceAll("0+$", "")
          .replaceAll("\\.$", "");
    }
    return v.asString();
  }
}
