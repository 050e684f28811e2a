package dev.spotbatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code spotbatch submit}: {@code POST /api/v1/jobs} from flags or a JSON file. */
@Command(
    name = "submit",
    sortOptions = false,
    description = {
      "Submit a job, from flags or from a JSON file.",
      "The file has the API's shape (flags override its fields).",
      "Local paths become file:// URIs. With --wait, follow it to the end like 'watch'.",
      "",
      "  spotbatch submit --input data/docs.jsonl --to data/out/docs/ --wait",
      "  spotbatch submit --text 'A man is eating food.' --to data/out/x/",
      "  spotbatch submit --input data/docs.jsonl --to data/out/c/ --model-uri data/models/e5/ \\",
      "      --tasks clean,chunk,embed --option chunk.maxTokens=256 --option clean.html=true",
      "  spotbatch submit --file job.json -q"
    })
final class SubmitCommand implements Callable<Integer> {
  @ParentCommand SpotbatchCli root;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "a job as JSON (the body of POST /api/v1/jobs); - reads standard input")
  String file;

  @Option(names = "--name", paramLabel = "NAME", description = "a name for the job")
  String name;

  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description = "the model (default: all-minilm-l6-v2 unless the file names one)")
  String model;

  @Option(
      names = "--model-uri",
      paramLabel = "URI",
      description =
          "your own model: a location (s3://.../, file://.../ or a local directory) holding"
              + " model.onnx, tokenizer.json and spotbatch-model.json")
  String modelUri;

  @Option(
      names = "--model-input",
      paramLabel = "NAME",
      description = "which of the model's prefixes the records get (e5: passage or query)")
  String modelInput;

  @Option(
      names = "--tasks",
      split = ",",
      paramLabel = "TASK",
      description =
          "the chain: clean, chunk, then one of embed, classify, similarity, plugin"
              + " (default: embed)")
  List<String> tasks;

  @Option(
      names = "--option",
      paramLabel = "TASK.KEY=VALUE",
      description =
          "a task option (repeatable): chunk.maxTokens=256, clean.html=true,"
              + " classify.labels.sport='a text about sport', plugin=word-stats;"
              + " numbers and true/false are sent as such")
  List<String> options;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "URI",
      description = "input JSONL object or prefix: s3://..., file://... or a local path")
  String input;

  @Option(names = "--format", paramLabel = "FORMAT", description = "input format (jsonl)")
  String format;

  @Option(names = "--text-field", paramLabel = "FIELD", description = "field holding the text")
  String textField;

  @Option(names = "--id-field", paramLabel = "FIELD", description = "field holding the record id")
  String idField;

  @Option(
      names = "--records",
      paramLabel = "FILE",
      description = "inline records: a JSONL file of objects with id and text, sent in the request")
  Path records;

  @Option(
      names = "--text",
      paramLabel = "TEXT",
      description = "an inline record's text (repeatable; ids 1, 2, ...)")
  List<String> texts;

  @Option(
      names = {"-t", "--to", "--output-uri"},
      paramLabel = "URI",
      description = "where results go: s3://.../, file://.../ or a local directory")
  String to;

  @Option(
      names = "--output-format",
      paramLabel = "FORMAT",
      description =
          "how result parts are written: jsonl (default) or npy (NumPy float32 vectors and a"
              + " .ids.jsonl sidecar per part; embed tasks only)")
  String outputFormat;

  @Option(names = "--item-bytes", paramLabel = "N", description = "bytes of input per work item")
  Long itemBytes;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description = "attempts per item before it fails")
  Integer maxAttempts;

  @Option(
      names = "--deadline",
      paramLabel = "INSTANT",
      description =
          "when the job should be done, an ISO-8601 instant (2026-12-02T08:00:00Z); the"
              + " autoscaler sizes the fleet for it")
  String deadline;

  @Option(
      names = "--priority",
      paramLabel = "N",
      description = "-100..100 (default 0): higher first when the fleet cannot meet every deadline")
  Integer priority;

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

  @Option(
      names = {"-q", "--quiet"},
      description = "print only the job id (with --wait: no progress line)")
  boolean quiet;

  @Override
  public Integer call() {
    ObjectNode body = body();
    JsonNode job = root.api().post("/api/v1/jobs", body);
    String id = Format.text(job, "id");
    if (waitForEnd) {
      if (quiet) {
        root.env().out().println(id);
      } else if (!root.json()) {
        root.env().err().println("Submitted job " + id);
      }
      return new JobWatcher(root, Polls.interval(pollSeconds), quiet).follow(id);
    }
    if (quiet) {
      root.env().out().println(id);
    } else if (root.json()) {
      root.printJson(job);
    } else {
      Format.job(root.env().out(), job);
      root.env().out().println();
      root.env().out().println("Follow it with: spotbatch watch " + id);
    }
    return ExitCode.OK.code();
  }

  ObjectNode body() {
    ObjectNode body = file == null ? ApiClient.JSON.createObjectNode() : readFile();
    put(body, "name", name);
    model(body);
    if (options != null) {
      ObjectNode o =
          body.get("options") instanceof ObjectNode n ? n : ApiClient.JSON.createObjectNode();
      for (String option : options) {
        option(o, option);
      }
      body.set("options", o);
    }
    if (input != null || format != null || textField != null || idField != null) {
      ObjectNode in =
          body.get("input") instanceof ObjectNode o ? o : ApiClient.JSON.createObjectNode();
      put(in, "uri", input == null ? null : uri(input, false));
      put(in, "format", format);
      put(in, "textField", textField);
      put(in, "idField", idField);
      body.set("input", in);
    }
    if (records != null || texts != null) {
      body.set("records", inlineRecords());
    }
    if (to != null || outputFormat != null) {
      ObjectNode out =
          body.get("output") instanceof ObjectNode o ? o : ApiClient.JSON.createObjectNode();
      put(out, "uri", to == null ? null : uri(to, true));
      put(out, "format", outputFormat);
      body.set("output", out);
    }
    if (itemBytes != null) {
      body.put("itemBytes", itemBytes);
    }
    if (maxAttempts != null) {
      body.put("maxAttempts", maxAttempts);
    }
    put(body, "deadline", deadline);
    if (priority != null) {
      body.put("priority", priority);
    }
    return body;
  }

  /** The model (a name or a location) and the task chain; a chain without a model needs none. */
  private void model(ObjectNode body) {
    if (model != null && modelUri != null) {
      throw new ApiException(ExitCode.USAGE, "give --model or --model-uri, not both");
    }
    if (tasks != null) {
      ArrayNode chain = body.putArray("tasks");
      tasks.forEach(t -> chain.add(t.strip()));
    }
    if (modelUri != null || (model != null && modelInput != null)) {
      ObjectNode m = ApiClient.JSON.createObjectNode();
      put(m, "name", model);
      put(m, "uri", modelUri == null ? null : uri(modelUri, true));
      put(m, "input", modelInput);
      body.set("model", m);
    } else if (model != null) {
      body.put("model", model);
    } else if (modelInput != null) {
      throw new ApiException(ExitCode.USAGE, "--model-input needs --model or --model-uri");
    } else if (!body.has("model") && chainNeedsModel(body.get("tasks"))) {
      body.put("model", "all-minilm-l6-v2");
    }
  }

  private static boolean chainNeedsModel(JsonNode chain) {
    if (chain == null || !chain.isArray() || chain.isEmpty()) {
      return true; // the default chain: embed
    }
    for (JsonNode t : chain) {
      if (List.of("embed", "classify", "similarity").contains(t.asString())) {
        return true;
      }
    }
    return false;
  }

  /** {@code task.key[.key...]=value} into {@code options}; a number or true/false as such. */
  private static void option(ObjectNode options, String option) {
    int eq = option.indexOf('=');
    String path = eq < 0 ? "" : option.substring(0, eq).strip();
    if (path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
      throw new ApiException(
          ExitCode.USAGE,
          "--option must be TASK.KEY=VALUE (e.g. chunk.maxTokens=256), was '" + option + "'");
    }
    String value = option.substring(eq + 1);
    String[] keys = path.split("\\.");
    ObjectNode at = options;
    for (int i = 0; i < keys.length - 1; i++) {
      at = at.get(keys[i]) instanceof ObjectNode n ? n : at.putObject(keys[i]);
    }
    String key = keys[keys.length - 1];
    if (value.equals("true") || value.equals("false")) {
      at.put(key, Boolean.parseBoolean(value));
    } else if (value.matches("-?\\d{1,18}")) {
      at.put(key, Long.parseLong(value));
    } else if (value.matches("-?\\d+\\.\\d+")) {
      at.put(key, Double.parseDouble(value));
    } else {
      at.put(key, value);
    }
  }

  private ObjectNode readFile() {
    String text;
    try {
      if ("-".equals(file)) {
        InputStream in = root.env().in();
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } else {
        text = Files.readString(root.env().workingDir().resolve(file));
      }
    } catch (IOException e) {
      throw new ApiException(ExitCode.USAGE, "cannot read the job file " + file + ": " + e);
    }
    try {
      JsonNode n = ApiClient.JSON.readTree(text);
      if (n instanceof ObjectNode o) {
        return o;
      }
      throw new ApiException(
          ExitCode.USAGE, "the job file " + file + " must hold one JSON object (a job)");
    } catch (JacksonException e) {
      throw new ApiException(
          ExitCode.USAGE, "the job file " + file + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private ArrayNode inlineRecords() {
    ArrayNode out = ApiClient.JSON.createArrayNode();
    if (records != null) {
      Path p = root.env().workingDir().resolve(records);
      List<String> lines;
      try {
        lines = Files.readAllLines(p);
      } catch (IOException e) {
        throw new ApiException(ExitCode.USAGE, "cannot read the records file " + p + ": " + e);
      }
      int n = 0;
      for (String line : lines) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(ApiClient.JSON.readTree(line));
        } catch (JacksonException e) {
          throw new ApiException(
              ExitCode.USAGE,
              "the records file " + p + " is not JSONL: line " + n + ": " + e.getOriginalMessage());
        }
      }
    }
    if (texts != null) {
      int id = out.size();
      for (String t : texts) {
        ObjectNode r = out.addObject();
        r.put("id", String.valueOf(++id));
        r.put("text", t);
      }
    }
    return out;
  }

  /** A URI as given, or a local path as an absolute {@code file://} URI (a directory ends in /). */
  String uri(String value, boolean directory) {
    if (value.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      return value;
    }
    Path p = root.env().workingDir().resolve(value).toAbsolutePath().normalize();
    String s = p.toUri().toString();
    // Path.toUri() gives file:///abs; a directory that exists already ends in /
    if (directory && !s.endsWith("/")) {
      s = s + "/";
    }
    return s;
  }

  private static void put(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  /** The poll interval option, validated. */
  static final class Polls {
    private Polls() {}

    static Duration interval(double seconds) {
      if (!(seconds >= 0.1 && seconds <= 3600)) {
        throw new ApiException(
            ExitCode.USAGE, "--poll must be between 0.1 and 3600 seconds, was " + seconds);
      }
      return Duration.ofMillis(Math.round(seconds * 1000));
    }
  }
}
