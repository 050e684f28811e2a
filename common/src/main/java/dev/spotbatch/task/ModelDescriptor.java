package dev.spotbatch.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The small file ({@value #FILE}) next to a brought model that says what differs between models.
 * Every file it names must sit beside it, listed in {@code sha256}, so the descriptor's own digest
 * pins the whole model.
 *
 * @param name a name for people (job view, manifest)
 * @param task {@code embed} (a sentence-embedding model) or {@code classify} (sequence
 *     classification: one logit per label)
 * @param model the ONNX file's name (default {@code model.onnx})
 * @param tokenizer the HuggingFace tokenizer file's name (default {@code tokenizer.json})
 * @param sha256 file name to its SHA-256 (hex); the model and tokenizer files at least
 * @param pooling embed: {@code mean} (over the attention mask) or {@code cls}
 * @param normalize embed: L2-normalise each vector (default true)
 * @param maxLength tokens per text; longer texts are truncated (default 512)
 * @param prefixes name to a prefix put before each text, e.g. e5's {@code query: } and {@code
 *     passage: }
 * @param defaultInput the prefix used when the job names none (default: {@code passage} if present,
 *     else none)
 * @param output the ONNX output to read (default: the first)
 * @param labels classify: the label of each logit, in order
 */
public record ModelDescriptor(
    String name,
    String task,
    String model,
    String tokenizer,
    Map<String, String> sha256,
    String pooling,
    Boolean normalize,
    Integer maxLength,
    Map<String, String> prefixes,
    String defaultInput,
    String output,
    List<String> labels) {
  /** The descriptor's file name inside the model's location. */
  public static final String FILE = "spotbatch-model.json";

  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public ModelDescriptor {
    task = task == null ? "embed" : task.toLowerCase(Locale.ROOT);
    model = model == null ? "model.onnx" : model;
    tokenizer = tokenizer == null ? "tokenizer.json" : tokenizer;
    sha256 = sha256 == null ? Map.of() : new LinkedHashMap<>(sha256);
    pooling = pooling == null ? "mean" : pooling.toLowerCase(Locale.ROOT);
    normalize = normalize == null || normalize;
    maxLength = maxLength == null ? 512 : maxLength;
    prefixes = prefixes == null ? Map.of() : Map.copyOf(prefixes);
    if (defaultInput == null && prefixes.containsKey("passage")) {
      defaultInput = "passage";
    }
    labels = labels == null ? List.of() : List.copyOf(labels);
    List<String> problems =
        problems(
            name,
            task,
            model,
            tokenizer,
            sha256,
            pooling,
            maxLength,
            prefixes,
            defaultInput,
            labels);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(FILE + " is invalid: " + String.join("; ", problems));
    }
  }

  /** The model's task as a {@link TaskType}: {@code EMBED} or {@code CLASSIFY}. */
  public TaskType taskType() {
    return TaskType.of(task);
  }

  /** The prefix for {@code input} (null: the default), empty when there is none. */
  public String prefix(String input) {
    String key = input == null ? defaultInput : input;
    return key == null ? "" : prefixes.getOrDefault(key, "");
  }

  /** The files to fetch, the model first. */
  public List<String> files() {
    return List.of(model, tokenizer);
  }

  private static List<String> problems(
      String name,
      String task,
      String model,
      String tokenizer,
      Map<String, String> sha256,
      String pooling,
      int maxLength,
      Map<String, String> prefixes,
      String defaultInput,
      List<String> labels) {
    List<String> out = new ArrayList<>();
    if (name == null || name.isBlank() || name.length() > 128) {
      out.add("\"name\" is required (at most 128 characters)");
    }
    if (!task.equals("embed") && !task.equals("classify")) {
      out.add("\"task\" must be embed or classify, was '" + task + "'");
    }
    for (String f : List.of(model, tokenizer)) {
      if (!FILE_NAME.matcher(f).matches()) {
        out.add("file '" + f + "' must be a plain name in the model's directory");
      } else if (!sha256.containsKey(f)) {
        out.add("\"sha256\" has no checksum for '" + f + "' (sha256sum " + f + ")");
      }
    }
    sha256.forEach(
        (f, h) -> {
          if (h == null || !HEX.matcher(h).matches()) {
            out.add("\"sha256\" of '" + f + "' must be 64 lower-case hex digits");
          }
        });
    if (!pooling.equals("mean") && !pooling.equals("cls")) {
      out.add("\"pooling\" must be mean or cls, was '" + pooling + "'");
    }
    if (maxLength < 8 || maxLength > 8192) {
      out.add("\"maxLength\" must be between 8 and 8192, was " + maxLength);
    }
    if (defaultInput != null && !prefixes.containsKey(defaultInput)) {
      out.add("\"defaultInput\" '" + defaultInput + "' is not one of \"prefixes\"");
    }
    if (task.equals("classify") && labels.isEmpty()) {
      out.add("a classify model needs \"labels\", one per output logit");
    }
    return out;
  }
}
