package dev.spotbatch.dispatcher.fleet.local;

import dev.spotbatch.dispatcher.fleet.InterruptKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which interruptions chaos injects, with weights: {@code spot120:40,spot5:20,sigterm:15,kill:15,
 * rebalance:5,lifecycle:5}. Each entry is a kind ({@code spot|rebalance|lifecycle|sigterm|kill}),
 * optionally followed by a deadline in seconds, then {@code :} (or {@code =}) and a weight (a
 * {@code %} sign is allowed). Weights need not add up to 100.
 */
public record ChaosMix(List<Entry> entries) {
  /** The default mix: mostly 2-minute spot notices, some short ones, SIGTERM and plain kills. */
  public static final String DEFAULT =
      "spot120:40,spot5:20,sigterm:15,kill:15,rebalance:5,lifecycle:5";

  private static final Pattern ENTRY =
      Pattern.compile("\\s*([a-zA-Z]+)(\\d+)?\\s*[:=]\\s*(\\d+(?:\\.\\d+)?)\\s*%?\\s*");

  /**
   * @param label as written ({@code spot5})
   * @param deadline null: the kind's default
   */
  public record Entry(String label, InterruptKind kind, Duration deadline, double weight) {}

  public ChaosMix {
    entries = List.copyOf(entries);
    if (entries.isEmpty() || entries.stream().mapToDouble(Entry::weight).sum() <= 0) {
      throw new IllegalArgumentException(
          "a chaos mix needs at least one entry with a positive weight");
    }
  }

  public static ChaosMix parse(String text) {
    if (text == null || text.isBlank()) {
      return parse(DEFAULT);
    }
    List<Entry> entries = new ArrayList<>();
    for (String part : text.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      Matcher m = ENTRY.matcher(part);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "bad chaos mix entry '"
                + part.trim()
                + "': write <kind>[<deadline seconds>]:<weight>, e.g. "
                + DEFAULT
                + " (kinds: "
                + InterruptKind.allowed()
                + ")");
      }
      Optional<InterruptKind> kind = InterruptKind.parse(m.group(1));
      if (kind.isEmpty()) {
        throw new IllegalArgumentException(
            "bad chaos mix entry '"
                + part.trim()
                + "': unknown kind '"
                + m.group(1)
                + "' (kinds: "
                + InterruptKind.allowed()
                + ")");
      }
      Duration deadline = null;
      if (m.group(2) != null) {
        if (!kind.get().hasDeadline()) {
          throw new IllegalArgumentException(
              "bad chaos mix entry '"
                  + part.trim()
                  + "': "
                  + kind.get().apiName()
                  + " has no deadline");
        }
        long seconds = Long.parseLong(m.group(2));
        if (seconds < 1 || seconds > 3600) {
          throw new IllegalArgumentException(
              "bad chaos mix entry '" + part.trim() + "': the deadline must be 1-3600 seconds");
        }
        deadline = Duration.ofSeconds(seconds);
      }
      entries.add(
          new Entry(
              m.group(1).toLowerCase() + (m.group(2) == null ? "" : m.group(2)),
              kind.get(),
              deadline,
              Double.parseDouble(m.group(3))));
    }
    return new ChaosMix(entries);
  }

  /** Draws one entry by weight. */
  public Entry pick(RandomGenerator random) {
    double total = entries.stream().mapToDouble(Entry::weight).sum();
    double x = random.nextDouble() * total;
    for (Entry e : entries) {
      x -= e.weight();
      if (x < 0) {
        return e;
      }
    }
    return entries.get(entries.size() - 1);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Entry e : entries) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e.label()).append(':').append(e.weight());
    }
    return sb.toString();
  }
}
