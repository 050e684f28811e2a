package dev.spotbatch.worker.notice.aws;

import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.notice.NoticeSource;
import dev.spotbatch.worker.notice.http.MetadataException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * AWS rebalance recommendation: {@code GET /latest/meta-data/events/recommendations/rebalance}; 404
 * means none, 200 {@code {"noticeTime":"..."}} an elevated interruption risk, with no deadline.
 * Advisory: the spot source keeps polling on its own thread, so this never masks a real
 * interruption.
 */
public final class AwsRebalanceNoticeSource implements NoticeSource {
  static final String PATH = "events/recommendations/rebalance";

  private final ImdsClient imds;
  private final Clock clock;
  private volatile Notice last;

  public AwsRebalanceNoticeSource(ImdsClient imds, Clock clock) {
    this.imds = Objects.requireNonNull(imds, "imds");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String name() {
    return "aws-rebalance";
  }

  @Override
  public Optional<Notice> poll() throws Exception {
    Optional<String> body = imds.get(PATH);
    if (body.isEmpty()) {
      return Optional.empty();
    }
    Instant noticeTime;
    try {
      noticeTime =
          Instant.parse(
              AwsSpotNoticeSource.JSON.readTree(body.get()).path("noticeTime").asString(""));
    } catch (JacksonException | DateTimeParseException e) {
      throw new MetadataException("unreadable rebalance recommendation: " + body.get(), 200);
    }
    String id = "aws-rebalance:" + noticeTime;
    Notice previous = last;
    if (previous != null && previous.id().equals(id)) {
      return Optional.of(previous);
    }
    Notice notice =
        new Notice(
            id,
            NoticeKind.AWS_REBALANCE_RECOMMENDATION,
            noticeTime,
            null,
            clock.instant(),
            "rebalance recommendation");
    last = notice;
    return Optional.of(notice);
  }
}
