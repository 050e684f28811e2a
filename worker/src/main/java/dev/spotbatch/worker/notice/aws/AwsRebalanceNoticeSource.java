package dev.spotbatch.worker.notice.aws;

import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.worker.notice.Notice;
import java.time.Clock;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * AWS rebalance recommendation: {@code GET /latest/meta-data/events/recommendations/rebalance}; 404
 * means none, 200 {@code {"noticeTime":"..."}} an elevated interruption risk, with no deadline.
 * Advisory: the spot source keeps polling on its own thread, so this never masks a real
 * interruption.
 */
public final class AwsRebalanceNoticeSource extends ImdsDocumentNoticeSource {
  static final String PATH = "events/recommendations/rebalance";

  public AwsRebalanceNoticeSource(ImdsClient imds, Clock clock) {
    super(imds, clock, PATH);
  }

  @Override
  public String name() {
    return "aws-rebalance";
  }

  @Override
  Notice read(JsonNode doc, Instant detectedAt) {
    Instant noticeTime = Instant.parse(doc.path("noticeTime").asString(""));
    return new Notice(
        "aws-rebalance:" + noticeTime,
        NoticeKind.AWS_REBALANCE_RECOMMENDATION,
        noticeTime,
        null,
        detectedAt,
        "rebalance recommendation");
  }
}
