package dev.spotbatch.cli;

import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Calls to endpoints an older dispatcher may not have ({@code cost}, {@code estimates}): a 404 or
 * 405 there means the server lacks the endpoint, and the message says so instead of "not found".
 */
final class MissingEndpoint {
  private MissingEndpoint() {}

  static JsonNode call(SpotbatchCli root, String method, String path, Supplier<JsonNode> call) {
    try {
      return call.get();
    } catch (ApiException e) {
      if (e.status() == 404 || e.status() == 405) {
        throw new ApiException(
            ExitCode.NOT_FOUND,
            e.status(),
            "the dispatcher at "
                + root.api().base()
                + " does not offer "
                + method
                + " "
                + path
                + " (it answered: "
                + e.getMessage()
                + "); it needs a newer dispatcher");
      }
      throw e;
    }
  }
}
