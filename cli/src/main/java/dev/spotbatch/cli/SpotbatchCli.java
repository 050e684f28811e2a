package dev.spotbatch.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code spotbatch}: the command-line client of the dispatcher's REST API. The options here apply
 * to every command and may be given before or after it.
 */
@Command(
    name = "spotbatch",
    mixinStandardHelpOptions = true,
    versionProvider = SpotbatchCli.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Submit and follow batch-inference jobs, and look at the fleet and its cost, through the"
          + " spotbatch dispatcher's REST API."
    },
    subcommands = {
      SubmitCommand.class,
      StatusCommand.class,
      ListCommand.class,
      WatchCommand.class,
      CancelCommand.class,
      RetryCommand.class,
      FailuresCommand.class,
      FleetCommand.class,
      CostCommand.class,
      EstimateCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  SPOTBATCH_URL        the server URL (instead of --url)",
      "  SPOTBATCH_API_TOKEN  the API token (instead of --token)"
    },
    exitCodeListHeading = "%nExit codes:%n")
public final class SpotbatchCli implements Runnable {
  static final String DEFAULT_URL = "http://127.0.0.1:8080";
  static final String URL_ENV = "SPOTBATCH_URL";

  /** How results are printed. */
  enum Output {
    table,
    json
  }

  @Option(
      names = "--url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = "the dispatcher (default: $SPOTBATCH_URL, else " + DEFAULT_URL + ")")
  String url;

  @Option(
      names = "--token",
      scope = ScopeType.INHERIT,
      paramLabel = "TOKEN",
      description =
          "API token sent as 'Authorization: Bearer' (default: $SPOTBATCH_API_TOKEN, else"
              + " <data-dir>/api-token when it exists)")
  String token;

  @Option(
      names = "--data-dir",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      defaultValue = "./.spotbatch",
      description =
          "the embedded default's data directory, where it keeps api-token (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (for people, the default) or json (for scripts: the server's JSON)")
  Output output;

  @Option(
      names = "--timeout",
      scope = ScopeType.INHERIT,
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "how long one request may take (default: ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Spec CommandLine.Model.CommandSpec spec;

  private final CliEnv env;
  private ApiClient api;

  SpotbatchCli(CliEnv env) {
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(run(CliEnv.system(), args));
  }

  /** Runs one command line and returns its exit code; never calls {@code System.exit}. */
  public static int run(CliEnv env, String... args) {
    CommandLine cli = new CommandLine(new SpotbatchCli(env));
    cli.setOut(env.out());
    cli.setErr(env.err());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    Map<String, String> codes = new LinkedHashMap<>();
    for (ExitCode c : ExitCode.values()) {
      codes.put(String.valueOf(c.code()), c.meaning());
    }
    cli.getCommandSpec().usageMessage().exitCodeList(codes);
    cli.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          if (e instanceof ApiException a) {
            env.err().println("spotbatch: " + a.getMessage());
            return a.exitCode().code();
          }
          env.err().println("spotbatch: unexpected error: " + e);
          return ExitCode.ERROR.code();
        });
    try {
      return cli.execute(args);
    } finally {
      env.out().flush();
      env.err().flush();
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
  }

  CliEnv env() {
    return env;
  }

  boolean json() {
    return output == Output.json;
  }

  /** The client for this command line, built once from --url, --token and --data-dir. */
  ApiClient api() {
    if (api == null) {
      String u = url;
      if (u == null || u.isBlank()) {
        u = env.env().getOrDefault(URL_ENV, "");
      }
      if (u.isBlank()) {
        u = DEFAULT_URL;
      }
      URI base = ApiClient.baseUri(u);
      if (timeoutSeconds < 1) {
        throw new ApiException(ExitCode.USAGE, "--timeout must be at least 1 second");
      }
      Optional<Token> t = Token.resolve(token, env.env(), env.workingDir().resolve(dataDir));
      api = new ApiClient(base, t, Duration.ofSeconds(timeoutSeconds));
    }
    return api;
  }

  /** Prints the server's JSON, indented, for scripts. */
  void printJson(JsonNode node) {
    env.out().println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
  }

  /** The version from the jar's manifest (set by the build), or "dev". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SpotbatchCli.class.getPackage().getImplementationVersion();
      return new String[] {"spotbatch " + (v == null ? "dev" : v)};
    }
  }
}
