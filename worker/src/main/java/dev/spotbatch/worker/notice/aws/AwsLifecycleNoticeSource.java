package dev.spotbatch.worker.notice.aws;

import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.notice.NoticeSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * AWS Auto Scaling: {@code GET /latest/meta-data/autoscaling/target-lifecycle-state}; {@code
 * Terminated} means the group is removing this instance. AWS gives no deadline here (it depends on
 * the group's lifecycle hook), so the deadline is the first detection plus a configured grace.
 * {@code InService}, any other state, or 404 (not in a group) means none.
 */
public final class AwsLifecycleNoticeSource implements NoticeSource {
  static final String PATH = "autoscaling/target-lifecycle-state";
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(120);

  private final ImdsClient imds;
  private final Clock clock;
  private final Duration grace;
  private volatile Notice last;

  public AwsLifecycleNoticeSource(ImdsClient imds, Clock clock, Duration grace) {
    this.imds = Objects.requireNonNull(imds, "imds");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (grace == null || grace.isNegative()) {
      throw new IllegalArgumentException("lifecycle grace must be >= 0, was " + grace);
    }
    this.grace = grace;
  }

  @Override
  public String name() {
    return "aws-lifecycle";
  }

  @Override
  public Optional<Notice> poll() throws Exception {
    Optional<String> state = imds.get(PATH).map(String::trim);
    if (state.isEmpty() || !state.get().equals("Terminated")) {
      last = null;
      return Optional.empty();
    }
    Notice previous = last;
    if (previous != null) {
      return Optional.of(previous); // the same notice: keep the first detection and its deadline
    }
    var now = clock.instant();
    Notice notice =
        new Notice(
            "aws-lifecycle:Terminated",
            NoticeKind.AWS_LIFECYCLE_TERMINATION,
            null,
            now.plus(grace),
            now,
            "target-lifecycle-state=Terminated");
    last = notice;
    return Optional.of(notice);
  }
}
