package dev.spotbatch.cli;

/**
 * The exit codes of {@code spotbatch}; scripts rely on them, so a value never changes meaning. The
 * README and {@code spotbatch --help} list them.
 */
public enum ExitCode {
  OK(0, "success"),
  JOB_UNSUCCESSFUL(1, "the job ended FAILED or CANCELLED (submit --wait, watch)"),
  USAGE(2, "usage: a bad option, or the server refused the request as invalid (400)"),
  NOT_FOUND(3, "not found (404): no such job or worker, or the server lacks the endpoint"),
  UNREACHABLE(4, "the server cannot be reached, timed out, or is unavailable (502, 503, 504)"),
  AUTH(5, "authentication or authorization failed (401, 403)"),
  CONFLICT(6, "the job is not in a state that allows this (409)"),
  ERROR(7, "any other error (500, or an answer the client does not understand)");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /** The exit code for an HTTP error status. */
  static ExitCode forStatus(int status) {
    return switch (status) {
      case 400, 413, 415, 422 -> USAGE;
      case 401, 403 -> AUTH;
      case 404 -> NOT_FOUND;
      case 409 -> CONFLICT;
      case 502, 503, 504 -> UNREACHABLE;
      default -> ERROR;
    };
  }
}
