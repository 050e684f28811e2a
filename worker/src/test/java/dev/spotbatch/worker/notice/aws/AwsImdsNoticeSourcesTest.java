package dev.spotbatch.worker.notice.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.localcloud.LocalImdsServer;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.testing.LocalImds;
import dev.spotbatch.testing.MutableClock;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.notice.http.MetadataHttp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The AWS sources against {@link LocalImdsServer}, which answers as IMDSv2 with tokens required.
 */
class AwsImdsNoticeSourcesTest {
  static final InstanceFacts FACTS =
      new InstanceFacts(
          "aws", "i-0abc123def4567890", "g5.xlarge", "eu-west-1", "eu-west-1b", Lifecycle.SPOT);

  MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
  LocalImdsServer imds;
  ImdsClient client;

  @BeforeEach
  void start() {
    imds = LocalImds.start(FACTS, clock);
    client = new ImdsClient(imds.endpoint(), new MetadataHttp(), clock);
  }

  @AfterEach
  void stop() {
    imds.close();
  }

  @Test
  void reusesOneTokenAcrossPolls() throws Exception {
    AwsSpotNoticeSource spot = new AwsSpotNoticeSource(client, clock);
    for (int i = 0; i < 5; i++) {
      spot.poll();
    }
    assertThat(imds.tokenRequests()).isEqualTo(1);
  }

  @Test
  void refreshesTheTokenOnceOn401() throws Exception {
    AwsSpotNoticeSource spot = new AwsSpotNoticeSource(client, clock);
    spot.poll();
    imds.expireTokens();

    assertThat(spot.poll()).isEmpty(); // the 401 was retried with a fresh token, then 404
    assertThat(imds.tokenRequests()).isEqualTo(2);
    spot.poll();
    assertThat(imds.tokenRequests()).isEqualTo(2);
  }

  @Test
  void sourcesSharingTheClientRefreshAnExpiredTokenOnce() throws Exception {
    client.get("instance-id");
    imds.expireTokens();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      var polls =
          java.util.List.of(
              pool.submit(() -> new AwsSpotNoticeSource(client, clock).poll()),
              pool.submit(() -> new AwsRebalanceNoticeSource(client, clock).poll()),
              pool.submit(
                  () ->
                      new AwsLifecycleNoticeSource(client, clock, Duration.ofSeconds(120)).poll()));
      for (var poll : polls) {
        assertThat(poll.get()).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(imds.tokenRequests()).isEqualTo(2);
  }

  @Test
  void refreshesTheTokenBeforeItExpires() throws Exception {
    ImdsClient shortLived =
        new ImdsClient(imds.endpoint(), new MetadataHttp(), clock, Duration.ofSeconds(300));
    shortLived.get("instance-id");
    clock.advance(Duration.ofSeconds(200));
    shortLived.get("instance-id");
    assertThat(imds.tokenRequests()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(50)); // within a minute of expiry
    shortLived.get("instance-id");
    assertThat(imds.tokenRequests()).isEqualTo(2);
  }

  @Test
  void noSpotNoticeWhileInstanceActionIs404() throws Exception {
    assertThat(new AwsSpotNoticeSource(client, clock).poll()).isEmpty();
    assertThat(new AwsRebalanceNoticeSource(client, clock).poll()).isEmpty();
  }

  @Test
  void announcedSpotInterruptionIsANoticeWithItsDeadlineAndId() throws Exception {
    AwsSpotNoticeSource spot = new AwsSpotNoticeSource(client, clock);
    Instant time = Instant.parse("2026-11-29T10:02:00Z");
    imds.announceSpotInterruption(time);

    Notice notice = spot.poll().orElseThrow();

    assertThat(notice.kind()).isEqualTo(NoticeKind.AWS_SPOT_INTERRUPTION);
    assertThat(notice.id()).isEqualTo("aws-spot:2026-11-29T10:02:00Z");
    assertThat(notice.deadline()).isEqualTo(time);
    assertThat(notice.noticeTime()).isEqualTo(Instant.parse("2026-11-29T10:00:00Z"));
    assertThat(notice.detectedAt()).isEqualTo(clock.instant());
    assertThat(notice.detail()).isEqualTo("action=terminate");
  }

  @Test
  void repeatedPollsReturnTheSameNotice() throws Exception {
    AwsSpotNoticeSource spot = new AwsSpotNoticeSource(client, clock);
    imds.announceSpotInterruption(Instant.parse("2026-11-29T10:02:00Z"));
    Notice first = spot.poll().orElseThrow();
    clock.advance(Duration.ofSeconds(5));
    assertThat(spot.poll()).contains(first);
  }

  @Test
  void rebalanceRecommendationIsAdvisoryWithoutDeadline() throws Exception {
    imds.announceRebalanceRecommendation();

    Notice notice = new AwsRebalanceNoticeSource(client, clock).poll().orElseThrow();

    assertThat(notice.kind()).isEqualTo(NoticeKind.AWS_REBALANCE_RECOMMENDATION);
    assertThat(notice.kind().isAdvisory()).isTrue();
    assertThat(notice.deadline()).isNull();
    assertThat(notice.noticeTime()).isEqualTo(clock.instant());
    assertThat(notice.id()).isEqualTo("aws-rebalance:2026-11-29T10:00:00Z");
  }

  @Test
  void lifecycleTerminatedIsANoticeWithTheConfiguredGrace() throws Exception {
    AwsLifecycleNoticeSource lifecycle =
        new AwsLifecycleNoticeSource(client, clock, Duration.ofSeconds(120));
    assertThat(lifecycle.poll()).isEmpty(); // InService

    imds.announceLifecycleTermination();
    Notice notice = lifecycle.poll().orElseThrow();
    clock.advance(Duration.ofSeconds(3));

    assertThat(notice.kind()).isEqualTo(NoticeKind.AWS_LIFECYCLE_TERMINATION);
    assertThat(notice.deadline()).isEqualTo(Instant.parse("2026-11-29T10:02:00Z"));
    assertThat(lifecycle.poll()).contains(notice); // first detection kept
  }

  @Test
  void loadsInstanceFactsFromImds() throws Exception {
    assertThat(AwsInstanceFacts.load(client)).isEqualTo(FACTS);
  }

  @Test
  void onDemandInstanceIsOnDemand() throws Exception {
    InstanceFacts onDemand =
        new InstanceFacts(
            "aws", "i-1", "m7i.large", "us-east-1", "us-east-1a", Lifecycle.ON_DEMAND);
    try (LocalImdsServer other = LocalImds.start(onDemand, clock)) {
      assertThat(AwsInstanceFacts.load(new ImdsClient(other.endpoint(), new MetadataHttp(), clock)))
          .isEqualTo(onDemand);
    }
  }
}
