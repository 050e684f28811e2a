package dev.spotbatch.worker.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.localcloud.LocalImdsServer;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.resilience.Backoff;
import dev.spotbatch.testing.LocalImds;
import dev.spotbatch.testing.MutableClock;
import dev.spotbatch.worker.notice.aws.AwsLifecycleNoticeSource;
import dev.spotbatch.worker.notice.aws.AwsRebalanceNoticeSource;
import dev.spotbatch.worker.notice.aws.AwsSpotNoticeSource;
import dev.spotbatch.worker.notice.aws.ImdsClient;
import dev.spotbatch.worker.notice.http.MetadataHttp;
import dev.spotbatch.worker.notice.signal.SignalNoticeSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The monitor with the AWS sources against {@link LocalImdsServer}, polling every 50 ms. */
class NoticeMonitorTest {
  static final Duration FAST = Duration.ofMillis(50);

  MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
  LocalImdsServer imds;
  ImdsClient client;
  List<Notice> heard = new CopyOnWriteArrayList<>();
  NoticeMonitor monitor;

  @BeforeEach
  void start() {
    imds =
        LocalImds.start(
            new InstanceFacts(
                "aws", "i-0abc", "g5.xlarge", "eu-west-1", "eu-west-1b", Lifecycle.SPOT),
            clock);
    client = new ImdsClient(imds.endpoint(), new MetadataHttp(), clock);
  }

  @AfterEach
  void stop() {
    if (monitor != null) {
      monitor.close();
    }
    imds.close();
  }

  private NoticeMonitor awsMonitor() {
    monitor =
        NoticeMonitor.builder(clock, heard::add)
            .source(new AwsSpotNoticeSource(client, clock), FAST)
            .source(new AwsLifecycleNoticeSource(client, clock, Duration.ofSeconds(120)), FAST)
            .source(new AwsRebalanceNoticeSource(client, clock), FAST)
            .build();
    monitor.start();
    return monitor;
  }

  @Test
  void reportsASpotNoticeOnceHoweverOftenItIsPolled() throws Exception {
    awsMonitor();
    imds.announceSpotInterruption(Instant.parse("2026-11-29T10:02:00Z"));

    await(() -> !heard.isEmpty());
    Thread.sleep(300); // several more polls see the same notice

    assertThat(heard).hasSize(1);
    assertThat(heard.get(0).kind()).isEqualTo(NoticeKind.AWS_SPOT_INTERRUPTION);
    assertThat(imds.tokenRequests()).isEqualTo(1);
  }

  @Test
  void aRebalanceRecommendationDoesNotMaskALaterSpotNotice() throws Exception {
    awsMonitor();
    imds.announceRebalanceRecommendation();
    await(() -> heard.size() == 1);

    imds.announceSpotInterruption(Instant.parse("2026-11-29T10:02:00Z"));
    await(() -> heard.size() == 2);

    assertThat(heard)
        .extracting(Notice::kind)
        .containsExactly(NoticeKind.AWS_REBALANCE_RECOMMENDATION, NoticeKind.AWS_SPOT_INTERRUPTION);
  }

  @Test
  void reportsALifecycleTermination() {
    awsMonitor();
    imds.announceLifecycleTermination();
    await(() -> !heard.isEmpty());
    assertThat(heard.get(0).kind()).isEqualTo(NoticeKind.AWS_LIFECYCLE_TERMINATION);
    assertThat(heard.get(0).deadline()).isEqualTo(clock.instant().plusSeconds(120));
  }

  @Test
  void toleratesTransportErrorsAndKeepsPolling() {
    AtomicInteger polls = new AtomicInteger();
    Notice notice = notice("flaky-1");
    NoticeSource flaky = failingThen(3, notice, polls);
    monitor =
        NoticeMonitor.builder(clock, heard::add)
            .source(flaky, Duration.ofMillis(10))
            .backoff(Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(40)))
            .build();
    monitor.start();

    await(() -> !heard.isEmpty());
    assertThat(heard).containsExactly(notice);
    assertThat(polls.get()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void waitsAfterErrorsByTheBackoffButNeverSoonerThanTheInterval() {
    AtomicInteger polls = new AtomicInteger();
    Notice notice = notice("flaky-2");
    NoticeSource flaky = failingThen(3, notice, polls);
    List<Duration> waits = new CopyOnWriteArrayList<>();
    monitor =
        NoticeMonitor.builder(clock, heard::add)
            .source(flaky, Duration.ofMillis(20))
            .backoff(Backoff.exponential(Duration.ofMillis(5), Duration.ofSeconds(1)))
            .sleeper(
                wait -> {
                  waits.add(wait);
                  Thread.sleep(1);
                })
            .build();
    monitor.start();

    await(() -> !heard.isEmpty() && waits.size() >= 4);
    // a copy: the monitor keeps adding waits, and a live subList of it would throw
    assertThat(List.copyOf(waits).subList(0, 4))
        .containsExactly(
            Duration.ofMillis(20),
            Duration.ofMillis(40),
            Duration.ofMillis(80),
            Duration.ofMillis(20));
  }

  /** A source whose first {@code failures} polls fail as a refused connection, then reports. */
  private static NoticeSource failingThen(int failures, Notice notice, AtomicInteger polls) {
    return new TestSource("flaky") {
      @Override
      public Optional<Notice> poll() throws Exception {
        if (polls.incrementAndGet() <= failures) {
          throw new IOException("connection refused");
        }
        return Optional.of(notice);
      }
    };
  }

  @Test
  void acknowledgeForwardsToTheSourceThatProducedTheNotice() {
    List<Notice> acknowledgedA = new CopyOnWriteArrayList<>();
    List<Notice> acknowledgedB = new CopyOnWriteArrayList<>();
    Notice a = notice("a-1");
    monitor =
        NoticeMonitor.builder(clock, heard::add)
            .source(new TestSource("a", a, acknowledgedA), FAST)
            .source(new TestSource("b", null, acknowledgedB), FAST)
            .build();
    monitor.start();
    await(() -> !heard.isEmpty());

    assertThat(monitor.acknowledgeAll(a)).isTrue();
    assertThat(monitor.acknowledgeAll(notice("unknown"))).isFalse();

    assertThat(acknowledgedA).containsExactly(a);
    assertThat(acknowledgedB).isEmpty();
  }

  @Test
  void closeStopsTheNamedThreadsAndClosesTheSources() throws Exception {
    AtomicInteger closed = new AtomicInteger();
    monitor =
        NoticeMonitor.builder(clock, heard::add)
            .source(
                new TestSource("quiet") {
                  @Override
                  public void close() {
                    closed.incrementAndGet();
                  }
                },
                FAST)
            .build();
    monitor.start();
    assertThat(threadNamed("notice-quiet")).isTrue();

    monitor.close();

    assertThat(threadNamed("notice-quiet")).isFalse();
    assertThat(closed.get()).isEqualTo(1);
    assertThat(monitor.isRunning()).isFalse();
  }

  @Test
  void sigtermHookReturnsOnceTheDrainAcknowledgesThroughTheMonitor() throws Exception {
    SignalNoticeSource signal = new SignalNoticeSource(clock, Duration.ofSeconds(25));
    List<Notice> drained = new CopyOnWriteArrayList<>();
    NoticeMonitor[] self = new NoticeMonitor[1];
    // the drain runs on its own thread and, when done, tells the monitor
    NoticeListener drain =
        n ->
            new Thread(
                    () -> {
                      drained.add(n);
                      self[0].drainFinished();
                    },
                    "test-drain")
                .start();
    monitor = NoticeMonitor.builder(clock, drain).source(signal, FAST).build();
    self[0] = monitor;
    monitor.start();

    Thread hook = new Thread(signal.hookRunnable(), "test-hook");
    hook.start();
    hook.join(5000);

    assertThat(hook.isAlive()).isFalse();
    assertThat(drained).extracting(Notice::kind).containsExactly(NoticeKind.SIGTERM);
  }

  private Notice notice(String id) {
    return new Notice(id, NoticeKind.SIGTERM, null, clock.instant(), clock.instant(), "test");
  }

  private static boolean threadNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  static void await(BooleanSupplier condition) {
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("condition not met within 5 s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** A source that returns a fixed notice (or none) and records acknowledgements. */
  static class TestSource implements NoticeSource {
    private final String name;
    private final Notice notice;
    private final List<Notice> acknowledged;

    TestSource(String name) {
      this(name, null, new CopyOnWriteArrayList<>());
    }

    TestSource(String name, Notice notice, List<Notice> acknowledged) {
      this.name = name;
      this.notice = notice;
      this.acknowledged = acknowledged;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Optional<Notice> poll() throws Exception {
      return Optional.ofNullable(notice);
    }

    @Override
    public void acknowledge(Notice n) {
      acknowledged.add(n);
    }
  }
}
