package dev.spotbatch.codec;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The project's one JSON mapper for everything it reads and writes outside Spring MVC: queue
 * messages, input records, manifests, worker health and cloud metadata documents. A {@link
 * JsonMapper} is immutable and thread-safe, so all share one instance.
 */
public final class Json {
  // unknown fields are ignored: a newer writer (a worker, a cloud metadata service) may add fields
  // without breaking an older reader
  private static final JsonMapper MAPPER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private static final ObjectWriter PRETTY =
      MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /** The shared mapper. */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /** A writer that indents, for documents people read (the {@code _SUCCESS} manifest). */
  public static ObjectWriter prettyWriter() {
    return PRETTY;
  }
}
