package dev.spotbatch.worker.notice.signal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.testing.MutableClock;
import dev.spotbatch.worker.notice.Notice;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The SIGTERM source, driven through its hook's body (no signal is sent to the test JVM). */
class SignalNoticeSourceTest {
  MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));

  @Test
  void noNoticeBeforeTheSignal() {
    assertThat(new SignalNoticeSource(clock, Duration.ofSeconds(25)).poll()).isEmpty();
  }

  @Test
  void hookAnnouncesSigtermAndBlocksUntilDrained() throws Exception {
    SignalNoticeSource source = new SignalNoticeSource(clock, Duration.ofSeconds(25));
    AtomicBoolean afterDrain = new AtomicBoolean();
    source.afterDrain(() -> afterDrain.set(true));
    Thread hook = new Thread(source.hookRunnable(), "test-hook");
    hook.start();

    Notice notice = awaitNotice(source);
    assertThat(notice.kind()).isEqualTo(NoticeKind.SIGTERM);
    assertThat(notice.id()).isEqualTo("sigterm");
    assertThat(notice.deadline()).isEqualTo(Instant.parse("2026-11-29T10:00:25Z"));
    hook.join(150);
    assertThat(hook.isAlive()).as("hook waits for the drain").isTrue();
    assertThat(afterDrain).isFalse();

    source.acknowledge(notice); // the drain is done
    hook.join(2000);
    assertThat(hook.isAlive()).isFalse();
    assertThat(afterDrain).isTrue();
  }

  @Test
  void hookGivesUpWhenTheGraceRunsOut() throws Exception {
    SignalNoticeSource source = new SignalNoticeSource(clock, Duration.ofMillis(200));
    long start = System.nanoTime();
    source.hookRunnable().run();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(150L, 2000L);
    assertThat(source.poll()).isPresent();
  }

  @Test
  void closingTheSourceReleasesAWaitingHook() throws Exception {
    SignalNoticeSource source = new SignalNoticeSource(clock, Duration.ofSeconds(25));
    Thread hook = new Thread(source.hookRunnable(), "test-hook");
    hook.start();
    awaitNotice(source);
    source.close();
    hook.join(2000);
    assertThat(hook.isAlive()).isFalse();
  }

  @Test
  void installsAndUninstallsTheHookOnce() {
    SignalNoticeSource source = new SignalNoticeSource(clock, Duration.ofSeconds(25));
    source.install().install(); // a second registration would throw IllegalArgumentException
    source.close(); // unregisters: the test JVM's exit does not run it
  }

  private static Notice awaitNotice(SignalNoticeSource source) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      if (source.poll().isPresent()) {
        return source.poll().get();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no SIGTERM notice");
  }
}
