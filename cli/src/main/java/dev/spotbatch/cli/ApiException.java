package dev.spotbatch.cli;

/** A request that did not succeed, with the message to show and the exit code it maps to. */
final class ApiException extends RuntimeException {
  private final ExitCode exitCode;
  private final int status;

  ApiException(ExitCode exitCode, int status, String message) {
    super(message);
    this.exitCode = exitCode;
    this.status = status;
  }

  ApiException(ExitCode exitCode, String message) {
    this(exitCode, 0, message);
  }

  ExitCode exitCode() {
    return exitCode;
  }

  /** The HTTP status, or 0 when there was no answer. */
  int status() {
    return status;
  }
}
