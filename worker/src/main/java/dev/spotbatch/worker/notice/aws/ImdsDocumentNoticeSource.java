package dev.spotbatch.worker.notice.aws;

import dev.spotbatch.codec.Json;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.notice.NoticeSource;
import dev.spotbatch.worker.notice.http.MetadataException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A notice that IMDS publishes as a JSON document at one path: 404 means none; while the document
 * names the same notice, every poll returns the notice as first seen (so its detection time stays
 * put). Subclasses only read the document.
 */
abstract class ImdsDocumentNoticeSource implements NoticeSource {
  private static final JsonMapper JSON = Json.mapper();

  private final ImdsClient imds;
  private final Clock clock;
  private final String path;
  private volatile Notice last;

  ImdsDocumentNoticeSource(ImdsClient imds, Clock clock, String path) {
    this.imds = Objects.requireNonNull(imds, "imds");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.path = path;
  }

  /** The notice the document describes, detected at {@code detectedAt}. */
  abstract Notice read(JsonNode doc, Instant detectedAt);

  @Override
  public final Optional<Notice> poll() throws Exception {
    Optional<String> body = imds.get(path);
    if (body.isEmpty()) {
      return Optional.empty();
    }
    Notice notice;
    try {
      notice = read(JSON.readTree(body.get()), clock.instant());
    } catch (JacksonException | DateTimeParseException e) {
      throw new MetadataException("unreadable " + path + ": " + body.get(), 200);
    }
    Notice previous = last;
    if (previous != null && previous.id().equals(notice.id())) {
      return Optional.of(previous);
    }
    last = notice;
    return Optional.of(notice);
  }
}
