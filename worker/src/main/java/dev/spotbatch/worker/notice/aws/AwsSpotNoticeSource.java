package dev.spotbatch.worker.notice.aws;

import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.worker.notice.Notice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * AWS spot interruption: {@code GET /latest/meta-data/spot/instance-action}; 404 means none, 200
 * {@code {"action":"terminate"|"stop"|"hibernate","time":"..."}} means the instance is taken back
 * at {@code time}.
 */
public final class AwsSpotNoticeSource extends ImdsDocumentNoticeSource {
  static final String PATH = "spot/instance-action";

  /**
   * AWS issues the interruption notice two minutes before {@code time} (the document carries only
   * the action time), so the notice time is {@code time - 2 min}.
   */
  static final Duration AWS_SPOT_WARNING = Duration.ofMinutes(2);

  public AwsSpotNoticeSource(ImdsClient imds, Clock clock) {
    super(imds, clock, PATH);
  }

  @Override
  public String name() {
    return "aws-spot";
  }

  @Override
  Notice read(JsonNode doc, Instant detectedAt) {
    Instant time = Instant.parse(doc.path("time").asString(""));
    String action = doc.path("action").asString("terminate");
    return new Notice(
        "aws-spot:" + time,
        NoticeKind.AWS_SPOT_INTERRUPTION,
        time.minus(AWS_SPOT_WARNING),
        time,
        detectedAt,
        "action=" + action);
  }
}
