package dev.spotbatch.dispatcher.job;

import java.util.List;
import java.util.stream.Collectors;

/** A submission that cannot become a job; lists every violation. */
public class InvalidJobException extends RuntimeException {
  private final List<Violation> violations;

  public InvalidJobException(List<Violation> violations) {
    super(
        violations.stream()
            .map(v -> v.field() + ": " + v.message())
            .collect(Collectors.joining("; ")));
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }
}
