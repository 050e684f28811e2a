package dev.spotbatch.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the client takes from its surroundings, injected so tests run it in-process: environment
 * variables, the working directory (for relative paths), standard input (a job file given as {@code
 * -}), the two output streams, whether standard error is a terminal (progress redrawn in place),
 * the clock and the sleep between polls.
 */
public record CliEnv(
    Map<String, String> env,
    Path workingDir,
    InputStream in,
    PrintWriter out,
    PrintWriter err,
    boolean tty,
    Clock clock,
    Sleeper sleeper) {

  public CliEnv {
    env = Map.copyOf(env);
    Objects.requireNonNull(workingDir, "workingDir");
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
  }

  /** Waits between polls; a test's sleeper advances its clock instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /**
   * The real process: {@code System.getenv()}, the streams of {@code System.out/err}; standard
   * error counts as a terminal when the launcher says so ({@code -Dspotbatch.cli.tty=true}, from
   * {@code [ -t 2 ]}), else when the JVM has a console.
   */
  static CliEnv system() {
    String tty = System.getProperty("spotbatch.cli.tty");
    boolean isTty = tty != null ? Boolean.parseBoolean(tty) : System.console() != null;
    return new CliEnv(
        System.getenv(),
        Path.of("").toAbsolutePath(),
        System.in,
        new PrintWriter(System.out, true),
        new PrintWriter(System.err, true),
        isTty,
        Clock.systemUTC(),
        d -> Thread.sleep(d.toMillis()));
  }
}
