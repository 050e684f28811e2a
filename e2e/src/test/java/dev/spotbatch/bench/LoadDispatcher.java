package dev.spotbatch.bench;

import dev.spotbatch.dispatcher.DispatcherApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded default's dispatcher in this JVM for the submit load: its real queue (embedded
 * ElasticMQ), its H2 database and local store, no workers (the load is on submission: planning,
 * staging and enqueueing; nothing runs the jobs).
 */
public final class LoadDispatcher implements AutoCloseable {
  private final ConfigurableApplicationContext context;
  private final String api;
  private final String token;
  private final Path dataDir;

  private LoadDispatcher(ConfigurableApplicationContext context, Path dataDir) throws IOException {
    this.context = context;
    this.dataDir = dataDir;
    this.api =
        "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/api/v1";
    this.token = Files.readString(dataDir.resolve("api-token")).strip();
  }

  /** Starts it on {@code dataDir} with extra {@code --name=value} arguments. */
  public static LoadDispatcher start(Path dataDir, String... extra) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--spotbatch.data-dir=" + dataDir,
                "--spotbatch.embedded.sqs.port=" + freePort(),
                "--spotbatch.fleet.local.workers=0"));
    args.addAll(List.of(extra));
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(DispatcherApplication.class)
            .profiles("local")
            .run(args.toArray(String[]::new));
    return new LoadDispatcher(context, dataDir);
  }

  public String api() {
    return api;
  }

  /** The embedded default's generated token (read from {@code <data-dir>/api-token}). */
  public String token() {
    return token;
  }

  /** Where jobs may write: under the data directory. */
  public String outputPrefix() {
    return dataDir.toUri() + "out/";
  }

  public ConfigurableApplicationContext context() {
    return context;
  }

  @Override
  public void close() {
    context.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
