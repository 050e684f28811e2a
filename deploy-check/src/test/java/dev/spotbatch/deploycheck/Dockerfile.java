package dev.spotbatch.deploycheck;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Dockerfile read the way BuildKit reads it, as far as the checks need: comment lines dropped
 * (also inside a continued instruction), backslash continuations joined, instructions split into
 * stages at each {@code FROM}.
 */
record Dockerfile(Path path, List<Stage> stages) {

  /** One instruction: its keyword in upper case and its arguments as written. */
  record Instruction(String keyword, String args, int line) {
    /** Whether the arguments are a JSON array (the exec form). */
    boolean execForm() {
      String a = args.strip();
      return a.startsWith("[") && a.endsWith("]");
    }
  }

  /** A build stage: its {@code FROM} image, optional {@code AS} name, and instructions. */
  record Stage(String image, String name, List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    Optional<Instruction> last(String keyword) {
      List<Instruction> found = all(keyword);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }
  }

  Stage last() {
    return stages.get(stages.size() - 1);
  }

  static Dockerfile parse(Path path) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = null;
    int start = 0;
    String[] lines = Repo.read(path).split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (current == null && trimmed.isEmpty())) {
        continue; // comments, parser directives, blank lines
      }
      if (current == null) {
        current = new StringBuilder();
        start = n + 1;
      }
      boolean continued = trimmed.endsWith("\\");
      current.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
      if (!continued) {
        String text = current.toString().strip();
        int space = text.indexOf(' ');
        String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : text.substring(space + 1).strip();
        instructions.add(new Instruction(keyword, args, start));
        current = null;
      }
    }
    List<Stage> stages = new ArrayList<>();
    List<Instruction> body = null;
    for (Instruction i : instructions) {
      if (i.keyword().equals("FROM")) {
        String[] parts = i.args().split("\\s+");
        int k = 0;
        while (k < parts.length && parts[k].startsWith("--")) {
          k++; // --platform=...
        }
        String image = parts[k];
        String name =
            parts.length >= k + 3 && parts[k + 1].equalsIgnoreCase("AS") ? parts[k + 2] : null;
        body = new ArrayList<>();
        stages.add(new Stage(image, name, body));
      } else if (body != null) {
        body.add(i);
      } else if (!i.keyword().equals("ARG")) {
        throw new AssertionError(path + ":" + i.line() + ": " + i.keyword() + " before FROM");
      }
    }
    if (stages.isEmpty()) {
      throw new AssertionError(path + ": no FROM");
    }
    return new Dockerfile(path, stages);
  }
}
