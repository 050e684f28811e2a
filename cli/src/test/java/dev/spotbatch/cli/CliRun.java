package dev.spotbatch.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the client in-process the way a shell would, with its environment, working directory and
 * standard input; its clock moves only when it sleeps between polls, so rates and ETAs are exact.
 */
final class CliRun {
  final Map<String, String> env = new HashMap<>();
  final Path dir;
  boolean tty;
  String stdin = "";
  Instant now = Instant.parse("2026-12-01T10:00:00Z");

  CliRun(Path dir) {
    this.dir = dir;
  }

  CliRun url(String url) {
    env.put("SPOTBATCH_URL", url);
    return this;
  }

  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now;
          }
        };
    CliEnv e =
        new CliEnv(
            env,
            dir,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintWriter(out),
            new PrintWriter(err),
            tty,
            clock,
            (Duration d) -> now = now.plus(d));
    int exit = SpotbatchCli.run(e, args);
    return new Result(exit, out.toString(), err.toString());
  }
}
