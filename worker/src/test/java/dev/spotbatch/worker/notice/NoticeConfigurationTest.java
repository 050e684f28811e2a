package dev.spotbatch.worker.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.localcloud.LocalImdsServer;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.testing.LocalImds;
import dev.spotbatch.worker.config.NoticeConfiguration;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The Spring wiring: detection, sources, the monitor's lifecycle, the facts bean, validation. */
class NoticeConfigurationTest {
  static final InstanceFacts FACTS =
      new InstanceFacts("aws", "i-0feed", "c7g.large", "us-west-2", "us-west-2c", Lifecycle.SPOT);

  LocalImdsServer imds;
  String nothing;

  @BeforeEach
  void start() throws Exception {
    imds = LocalImds.start(FACTS, Clock.systemUTC());
    try (ServerSocket s = new ServerSocket(0)) {
      nothing = "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  @AfterEach
  void stop() {
    imds.close();
  }

  ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withUserConfiguration(NoticeConfiguration.class)
        .withPropertyValues(
            "spotbatch.worker.notice.aws-endpoint=" + imds.endpoint(),
            "spotbatch.worker.notice.gcp-host=" + nothing,
            "spotbatch.worker.notice.azure-endpoint=" + nothing,
            "spotbatch.worker.notice.poll-interval=100ms",
            "spotbatch.worker.notice.sigterm-hook=false");
  }

  @Test
  void detectsAwsAndWatchesItsThreeSourcesAndSigterm() {
    List<Notice> heard = new CopyOnWriteArrayList<>();
    runner()
        .withBean(NoticeListener.class, () -> heard::add)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(NoticeConfiguration.DetectedProvider.class).provider())
                  .isEqualTo(Provider.AWS);
              assertThat(context.getBean("detectedInstanceFacts", InstanceFacts.class))
                  .isEqualTo(FACTS);
              NoticeMonitor monitor = context.getBean(NoticeMonitor.class);
              assertThat(monitor.sourceNames())
                  .containsExactly("aws-spot", "aws-lifecycle", "aws-rebalance", "sigterm");
              assertThat(monitor.isRunning()).isTrue();

              imds.announceSpotInterruption(Instant.now().plusSeconds(120));
              NoticeMonitorTest.await(() -> !heard.isEmpty());
              assertThat(heard.get(0).kind()).isEqualTo(NoticeKind.AWS_SPOT_INTERRUPTION);
            });
  }

  @Test
  void withNothingAnsweringOnlySigtermIsWatchedAndFactsAreLocal() {
    runner()
        .withPropertyValues("spotbatch.worker.notice.aws-endpoint=" + nothing)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(NoticeMonitor.class).sourceNames())
                  .containsExactly("sigterm");
              assertThat(context.getBean("detectedInstanceFacts", InstanceFacts.class).provider())
                  .isEqualTo("local");
            });
  }

  @Test
  void rejectsAPollIntervalOverOneSecond() {
    runner()
        .withPropertyValues("spotbatch.worker.notice.poll-interval=5s")
        .run(context -> assertThat(context).hasFailed());
  }
}
