package dev.spotbatch.worker.notice.aws;

import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.notice.NoticeSource;
import dev.spotbatch.worker.notice.http.MetadataException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * AWS spot interruption: {@code GET /latest/meta-data/spot/instance-action}; 404 means none, 200
 * {@code {"action":"terminate"|"stop"|"hibernate","time":"..."}} means the instance is taken back
 * at {@code time}.
 */
public final class AwsSpotNoticeSource implements NoticeSource {
  static final String PATH = "spot/instance-action";

  /**
   * AWS issues the interruption notice two minutes before {@code time} (the document carries only
   * the action time), so the notice time is {@code time - 2 min}.
   */
  static final Duration AWS_SPOT_WARNING = Duration.ofMinutes(2);

  static final JsonMapper JSON = JsonMapper.builder().build();

  private final ImdsClient imds;
  private final Clock clock;
  private volatile Notice last;

  public AwsSpotNoticeSource(ImdsClient imds, Clock clock) {
    this.imds = Objects.requireNonNull(imds, "imds");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String name() {
    return "aws-spot";
  }

  @Override
  public Optional<Notice> poll() throws Exception {
    Optional<String> body = imds.get(PATH);
    if (body.isEmpty()) {
      return Optional.empty();
    }
    JsonNode doc;
    Instant time;
    try {
      doc = JSON.readTree(body.get());
      time = Instant.parse(doc.path("time").asString(""));
    } catch (JacksonException | DateTimeParseException e) {
      throw new MetadataException("unreadable spot/instance-action: " + body.get(), 200);
    }
    String action = doc.path("action").asString("terminate");
    String id = "aws-spot:" + time;
    Notice previous = last;
    if (previous != null && previous.id().equals(id)) {
      return Optional.of(previous);
    }
    Notice notice =
        new Notice(
            id,
            NoticeKind.AWS_SPOT_INTERRUPTION,
            time.minus(AWS_SPOT_WARNING),
            time,
            clock.instant(),
            "action=" + action);
    last = notice;
    return Optional.of(notice);
  }
}
